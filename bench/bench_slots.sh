#!/usr/bin/env bash
# Chooses the default slot count of continuous batching (`kasane eval --batch-size`) by measurement: wall time of
# one evaluation on ../shared/evalsets-real with a 150m-shaped random LLaMA at each slot count, as medians of RUNS
# interleaved runs (the counts take turns, so drift on a noisy machine hits them alike), with the load average.
# Predictions are byte-identical at every count (batch-invariant forward), so only time differs.
# Env: MODEL (default /tmp/kasane-bench-150m, created if missing), MAX_SAMPLES per dataset (default 20),
#      SLOTS (default "1 2 4 8 16 32"), RUNS (default 5), KASANE (a built binary; default: build one), KASANE_THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-/tmp/kasane-bench-150m}
N=${MAX_SAMPLES:-20}
SLOTS=${SLOTS:-"1 2 4 8 16 32"}
RUNS=${RUNS:-5}
EVALSETS=""
for d in ../shared ../../shared; do [ -d "$d/evalsets-real" ] && { EVALSETS="$d/evalsets-real"; break; }; done
[ -n "$EVALSETS" ] || { echo "shared/evalsets-real not found"; exit 1; }
[ -f "$MODEL/config.json" ] || python3 bench/make_random_llama.py "$MODEL" --shape 150m
if [ -z "${KASANE:-}" ]; then swift build -c release --product kasane >/dev/null; KASANE=.build/release/kasane; fi
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
declare -A times
for run in $(seq "$RUNS"); do
  for s in $SLOTS; do
    t0=$(date +%s.%N)
    $KASANE eval --model "$MODEL" --evalsets "$EVALSETS" --max-samples "$N" --batch-size "$s" --quiet \
      --output "$OUT/s$s-r$run" >/dev/null 2>&1
    times[$s]+="$(echo "$(date +%s.%N) - $t0" | bc) "
  done
done
echo "samples per dataset: $N; runs: $RUNS; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for s in $SLOTS; do
  median=$(printf '%s\n' ${times[$s]} | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  printf "slots %3d : median wall %8.2f s   (runs: %s)\n" "$s" "$median" "${times[$s]}"
done
# Same predictions at every slot count (checked on the first run's outputs).
first=$(echo $SLOTS | cut -d' ' -f1)
for s in $SLOTS; do
  cmp -s "$OUT/s$first-r1/predictions.jsonl" "$OUT/s$s-r1/predictions.jsonl" || echo "warning: outputs at $s slots differ from $first slots"
done
