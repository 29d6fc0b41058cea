#!/usr/bin/env bash
# The 7B memory check of issue 11: a random llama-7B-shaped BF16 checkpoint (hidden 4096, 32 layers, ffn 11008,
# 32 heads, vocab 99,584; 13.5 GB) is written to disk, one forward pass runs over a few tokens, and the peak RSS
# (the OS's getrusage of the child) is reported against the BF16 and fp32 weight bytes. The checkpoint is deleted
# afterwards unless --keep is given. Needs python3 with numpy, ~14 GB of free disk and a built kasane.
#   bash bench/bench_7b_memory.sh [--dir DIR] [--keep] [--shape 7b|1.8b|150m]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.build-bench/bf16-7b-memory
keep=0
shape=7b
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --shape) shape="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
kasane=${KASANE:-.build/release/kasane}
[ -x "$kasane" ] || swift build -c release --product kasane
[ -f "$dir/model.safetensors" ] || python3 bench/make_random_bf16_llama.py "$dir" --shape "$shape"
[ "$keep" = 1 ] || trap 'rm -rf "$dir"' EXIT
python3 - "$kasane" "$dir" <<'PY'
import json, os, resource, subprocess, sys, time
kasane, d = sys.argv[1], sys.argv[2]
bf16 = os.path.getsize(os.path.join(d, "model.safetensors"))
t = time.time()
subprocess.run([kasane, "forward", "--model", d, "--ids", "1,2,3,4", "--output", os.devnull], check=True)
seconds = time.time() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"checkpoint_bf16_bytes": bf16, "fp32_weight_bytes": 2 * bf16, "peak_rss_bytes": rss,
                  "rss_over_fp32": round(rss / (2 * bf16), 3), "rss_over_bf16": round(rss / bf16, 3),
                  "forward_seconds": round(seconds, 1), "load_average": os.getloadavg()[0]}))
PY
