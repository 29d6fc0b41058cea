#!/usr/bin/env bash
# A real single-node Slurm (Debian's slurmctld, slurmd, munge) for the tests and for trying `kasane slurm` locally.
#   tools/slurm-local.sh up     start munge and both daemons (idempotent), wait until the node is idle
#   tools/slurm-local.sh down   stop what `up` started, by its pid files
#   tools/slurm-local.sh env    print the `export SLURM_CONF=...` line for a shell
# State lives in $KASANE_SLURM_DIR (default /tmp/kasane-slurm). Needs root (SlurmUser=root) and no systemd.
# Exits non-zero with the reason when Slurm cannot start; the tests then fail with that reason.
set -euo pipefail
dir=${KASANE_SLURM_DIR:-/tmp/kasane-slurm}
conf=$dir/slurm.conf
export SLURM_CONF=$conf

die() { echo "slurm-local: $*" >&2; exit 1; }

write_config() {
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  local node cpus mem
  node=$(hostname -s)
  cpus=$(nproc --all)
  mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))   # leave the OS some room
  cat > "$conf" <<EOF
ClusterName=kasane-local
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1
MessageTimeout=30
MinJobAge=300
MaxArraySize=10001
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$node CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  cat > "$dir/cgroup.conf" <<EOF
CgroupPlugin=cgroup/v1
IgnoreSystemd=yes
EOF
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_munge() {
  if pgrep -x munged >/dev/null; then return; fi
  [ -f /etc/munge/munge.key ] || die "/etc/munge/munge.key is missing (apt-get install munge creates it)"
  chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged --force || die "munged did not start (see /var/log/munge/munged.log)"
  touch "$dir/munge.started-here"
}

up() {
  command -v slurmctld >/dev/null || die "slurmctld not found (apt-get install slurmctld slurmd slurm-client munge)"
  [ "$(id -u)" = 0 ] || die "needs root (SlurmUser=root)"
  write_config
  start_munge
  alive "$dir/slurmctld.pid" || slurmctld -f "$conf" || die "slurmctld did not start: $(tail -3 "$dir/log/slurmctld.log" 2>/dev/null)"
  alive "$dir/slurmd.pid" || slurmd -f "$conf" || die "slurmd did not start: $(tail -3 "$dir/log/slurmd.log" 2>/dev/null)"
  local node state
  node=$(hostname -s)
  for _ in $(seq 1 60); do
    state=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
    case "$state" in
      idle|mix|alloc) echo "slurm-local: up ($node $state, SLURM_CONF=$conf)"; return 0 ;;
      down*|drain*) scontrol update nodename="$node" state=resume 2>/dev/null || true ;;
    esac
    sleep 1
  done
  die "node $node did not become idle (state '${state:-none}'): $(tail -3 "$dir/log/slurmd.log" 2>/dev/null)"
}

down() {
  for daemon in slurmd slurmctld; do
    if alive "$dir/$daemon.pid"; then
      kill "$(cat "$dir/$daemon.pid")"
      for _ in $(seq 1 50); do alive "$dir/$daemon.pid" || break; sleep 0.1; done
    fi
    rm -f "$dir/$daemon.pid"
  done
  if [ -f "$dir/munge.started-here" ]; then
    pkill -x munged || true
    rm -f "$dir/munge.started-here"
  fi
  echo "slurm-local: down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) echo "export SLURM_CONF=$conf" ;;
  *) die "usage: $0 up|down|env" ;;
esac
