#!/usr/bin/env bash
# Wall time of `kasane eval` on ../shared/evalsets-real with a 150m-shaped random LLaMA:
#   the default (prefix cache, --batch-size default) vs no-cache batch 1, vs no-cache at the default batch size (the
#   prefix cache alone), and vs transformers `generate` one prompt at a time (bench/eval_transformers.py, llm-jp-eval's
#   HF path). Prints ratios and how many predictions agree. Kasane's default also scores every gold answer
#   teacher-forced (log-probs), which transformers does not; the ratio against `--no-logprobs` compares the same work.
# Env: MODEL (default /tmp/kasane-bench-150m, created if missing), MAX_SAMPLES per dataset (default 5),
#      HF_MAX_SAMPLES (default = MAX_SAMPLES), THREADS for torch (default 2), SKIP_HF=1 to skip transformers.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-/tmp/kasane-bench-150m}
N=${MAX_SAMPLES:-5}
HF_N=${HF_MAX_SAMPLES:-$N}
THREADS=${THREADS:-2}
EVALSETS=""
for d in ../shared ../../shared; do [ -d "$d/evalsets-real" ] && { EVALSETS="$d/evalsets-real"; break; }; done
[ -n "$EVALSETS" ] || { echo "shared/evalsets-real not found"; exit 1; }
[ -f "$MODEL/config.json" ] || python3 bench/make_random_llama.py "$MODEL" --shape 150m
swift build -c release --product kasane >/dev/null
KASANE=.build/release/kasane
OUT=$(mktemp -d)
# run CMD...: prints "WALL CPU" seconds (CPU = user + sys of the child, all threads)
run() { python3 -c 'import resource,subprocess,sys,time
t=time.time(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
r=resource.getrusage(resource.RUSAGE_CHILDREN); print(f"{time.time()-t:.2f} {r.ru_utime+r.ru_stime:.2f}")' "$@"; }
wall() { echo "${1% *}"; }
cpu() { echo "${1#* }"; }

t_fast=$(run $KASANE eval --model "$MODEL" --evalsets "$EVALSETS" --max-samples "$N" --quiet --output "$OUT/fast")
t_slow=$(run $KASANE eval --model "$MODEL" --evalsets "$EVALSETS" --max-samples "$N" --batch-size 1 --no-prefix-cache --quiet --output "$OUT/slow")
t_nocache=$(run $KASANE eval --model "$MODEL" --evalsets "$EVALSETS" --max-samples "$N" --no-prefix-cache --quiet --output "$OUT/nocache")
echo "samples per dataset: $N (8 datasets); load average: $(cut -d' ' -f1 /proc/loadavg)"
printf "kasane default (prefix cache) : wall %8.1f s  cpu %8.1f s\n" "$(wall "$t_fast")" "$(cpu "$t_fast")"
printf "kasane no cache, batch 1      : wall %8.1f s  cpu %8.1f s\n" "$(wall "$t_slow")" "$(cpu "$t_slow")"
printf "kasane no cache, default batch: wall %8.1f s  cpu %8.1f s\n" "$(wall "$t_nocache")" "$(cpu "$t_nocache")"
printf "ratio no-cache-b1 / default   : wall %8.2fx  cpu %8.2fx\n" "$(echo "$(wall "$t_slow") / $(wall "$t_fast")" | bc -l)" \
  "$(echo "$(cpu "$t_slow") / $(cpu "$t_fast")" | bc -l)"
printf "ratio no-cache / default (same batch): wall %8.2fx\n" "$(echo "$(wall "$t_nocache") / $(wall "$t_fast")" | bc -l)"
cmp -s <(python3 -c "import json,sys;[print(json.loads(l)['generated']) for l in open(sys.argv[1])]" "$OUT/fast/predictions.jsonl") \
       <(python3 -c "import json,sys;[print(json.loads(l)['generated']) for l in open(sys.argv[1])]" "$OUT/slow/predictions.jsonl") \
  && echo "generated texts identical between the two kasane paths" || echo "WARNING: kasane paths differ"
if [ "${SKIP_HF:-0}" != 1 ]; then
  if [ "$HF_N" != "$N" ]; then
    t_fast_hf=$(run $KASANE eval --model "$MODEL" --evalsets "$EVALSETS" --max-samples "$HF_N" --quiet --output "$OUT/fast_hf")
  else
    t_fast_hf=$t_fast; cp -r "$OUT/fast" "$OUT/fast_hf"
  fi
  t_nolp_hf=$(run $KASANE eval --model "$MODEL" --evalsets "$EVALSETS" --max-samples "$HF_N" --no-logprobs --quiet --output "$OUT/nolp_hf")
  t_hf=$(run python3 bench/eval_transformers.py --model "$MODEL" --evalsets "$EVALSETS" --max-samples "$HF_N" --threads "$THREADS" --out "$OUT/hf.jsonl")
  printf "transformers generate, 1 by 1: wall %8.1f s  cpu %8.1f s (%s samples/dataset, %s torch threads)\n" \
    "$(wall "$t_hf")" "$(cpu "$t_hf")" "$HF_N" "$THREADS"
  printf "ratio transformers / kasane   : wall %8.2fx  cpu %8.2fx\n" "$(echo "$(wall "$t_hf") / $(wall "$t_fast_hf")" | bc -l)" \
    "$(echo "$(cpu "$t_hf") / $(cpu "$t_fast_hf")" | bc -l)"
  printf "kasane --no-logprobs          : wall %8.1f s  cpu %8.1f s\n" "$(wall "$t_nolp_hf")" "$(cpu "$t_nolp_hf")"
  printf "ratio transformers / kasane --no-logprobs (the same work): wall %8.2fx\n" \
    "$(echo "$(wall "$t_hf") / $(wall "$t_nolp_hf")" | bc -l)"
  python3 - "$OUT/fast_hf/predictions.jsonl" "$OUT/hf.jsonl" <<'PY'
import json, sys, unicodedata
k = {(r["dataset"], r["index"]): r["generated"] for r in map(json.loads, open(sys.argv[1], encoding="utf-8"))}
h = {(r["dataset"], r["index"]): r["generated"] for r in map(json.loads, open(sys.argv[2], encoding="utf-8"))}
pred = lambda s: unicodedata.normalize("NFKC", s.split("\n\n")[0]).strip()
same = sum(1 for key in h if key in k and pred(k[key]) == pred(h[key]))
print(f"predictions equal to transformers': {same}/{len(h)}")
PY
fi
rm -rf "$OUT"
