#!/usr/bin/env bash
# Eval time with and without --no-logprobs (issue 13 §2 asks for ≤ 15 % extra time): interleaved rounds, medians.
# Usage: bench/bench_logprobs.sh [ROUNDS] [MODEL]   (MODEL: a checkpoint folder; default the tiny world's last one,
# else /work/main/.build-bench/llmjp150m). Needs a release build (make build). Prints seconds per round and the
# medians; no figures are written anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
KASANE=${KASANE:-.build/release/kasane}
MODEL=${2:-}
if [ -z "$MODEL" ]; then
  MODEL=$(ls -d models/tiny-world/checkpoint-* 2>/dev/null | sort -t- -k2 -n | tail -1 || true)
  [ -n "$MODEL" ] || MODEL=/work/main/.build-bench/llmjp150m
fi
EVALSETS=${EVALSETS:-evalsets/tiny-world}
EXTRA=${EXTRA:-}   # e.g. "--tokenizer DIR --max-samples 50"
[ -x "$KASANE" ] || { echo "bench_logprobs: $KASANE not built (make build)" >&2; exit 1; }
[ "$ROUNDS" -ge 5 ] || { echo "bench_logprobs: ROUNDS must be ≥ 5" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run() {  # $1: label, rest: extra flags; a fresh store each time so nothing is skipped
  local start end
  rm -f "$tmp/r.sqlite"*
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$KASANE" eval --model "$MODEL" --evalsets "$EVALSETS" --db "$tmp/r.sqlite" $EXTRA "${@:2}" >/dev/null 2>"$tmp/err" \
    || { echo "bench_logprobs: kasane eval failed: $(tail -1 "$tmp/err")" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
with=(); without=()
for r in $(seq 1 "$ROUNDS"); do   # interleaved so drift in machine load hits both alike
  if (( r % 2 )); then a=$(run with); b=$(run without --no-logprobs); else b=$(run without --no-logprobs); a=$(run with); fi
  with+=("$a"); without+=("$b")
  printf 'round %d: with log-probs %.2f s, --no-logprobs %.2f s\n' "$r" "$a" "$b"
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mw=$(median "${with[@]}"); mo=$(median "${without[@]}")
printf 'median: with %.2f s, without %.2f s, overhead %.1f %%\n' "$mw" "$mo" "$(echo "($mw / $mo - 1) * 100" | bc -l)"
