#!/usr/bin/env bash
# Does evaluation keep its speed beside other work? `kasane eval` of a 150m-shaped checkpoint on
# ../shared/evalsets-real, quiet vs beside two `nice -n 19` busy loops, in interleaved rounds; prints the medians
# and their ratio (the performance issue's target: ≤ 1.25× the quiet time).
# Env: MODEL (default .build-bench/llmjp150m, made by bench_engine.sh), TOKENIZER (default shared llm-jp-v3),
#      MAX_SAMPLES (default 5), ROUNDS (default 5), SCRATCH (build folder, default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-.build-bench/llmjp150m}
N=${MAX_SAMPLES:-5}
ROUNDS=${ROUNDS:-5}
EVALSETS=""
for d in ../shared ../../shared; do [ -d "$d/evalsets-real" ] && { EVALSETS="$d/evalsets-real"; break; }; done
[ -n "$EVALSETS" ] || { echo "shared/evalsets-real not found"; exit 1; }
TOKENIZER=${TOKENIZER:-$(dirname "$EVALSETS")/reference/tokenizers/llm-jp-v3}
[ -f "$MODEL/config.json" ] || python3 bench/make_bench_checkpoint.py "$MODEL"
SCRATCH=${SCRATCH:-.build}
KASANE=$SCRATCH/release/kasane
[ -x "$KASANE" ] || swift build -c release --scratch-path "$SCRATCH" --product kasane
OUT=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$OUT"' EXIT
once() {   # prints the wall seconds of one eval into a fresh store
  rm -rf "$OUT/db.sqlite"*
  local t0=$(date +%s.%N)
  "$KASANE" eval --model "$MODEL" --evalsets "$EVALSETS" --tokenizer "$TOKENIZER" --max-samples "$N" \
      --quiet --db "$OUT/db.sqlite" >&2 || { echo "kasane eval failed" >&2; kill $$; }
  echo "$(date +%s.%N) - $t0" | bc -l
}
quiet=(); busy=()
for r in $(seq "$ROUNDS"); do
  quiet+=("$(once)")
  nice -n 19 sh -c 'while :; do :; done' & a=$!
  nice -n 19 sh -c 'while :; do :; done' & b=$!
  busy+=("$(once)")
  kill $a $b; wait $a $b 2>/dev/null || true
  echo "round $r: quiet ${quiet[-1]} s, beside two busy loops ${busy[-1]} s (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
mq=$(median "${quiet[@]}"); mb=$(median "${busy[@]}")
echo "eval of $MODEL, $N samples × 8 datasets, $ROUNDS interleaved rounds: quiet median $mq s, beside two nice-19 busy loops median $mb s, ratio $(echo "$mb / $mq" | bc -l | cut -c1-4)×"
