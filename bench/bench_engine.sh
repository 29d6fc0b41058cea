#!/usr/bin/env bash
# Engine speed: Kasane vs transformers/torch fp32 (and llama.cpp F32 when llama-cpp-python is importable), measured
# in the same run with the same thread count, as medians of interleaved rounds, on two shapes with BF16 storage and
# random weights:
#   - llm-jp-3-150m (12 layers, hidden 512, intermediate 2048, 8 heads, vocab 99,584; bench/make_bench_checkpoint.py);
#   - llm-jp-3-1.8b (24 layers, hidden 2048, intermediate 7168, 16 heads; bench/make_random_bf16_llama.py, 3.7 GB).
# Generated files live in .build-bench/ (gitignored). Needs python3 with torch + transformers (+ gguf, llama-cpp-python).
# Options pass through to bench/bench_engine.py (--threads, --steps, --rounds, --skip kasane,torch,llamacpp);
# BENCH_SHAPES="150m" skips the 1.8b shape.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build-bench
[ -x .build/release/kasane ] || swift build -c release --product kasane
for shape in ${BENCH_SHAPES:-150m 1.8b}; do
  case "$shape" in
    150m) python3 bench/make_bench_checkpoint.py .build-bench/llmjp150m
          python3 bench/bench_engine.py --checkpoint .build-bench/llmjp150m "$@" ;;
    1.8b) [ -f .build-bench/llmjp1p8b/model.safetensors ] ||
            python3 bench/make_random_bf16_llama.py .build-bench/llmjp1p8b --shape 1.8b
          python3 bench/bench_engine.py --checkpoint .build-bench/llmjp1p8b --steps 16 "$@" ;;
    *) echo "unknown shape $shape (150m or 1.8b)" >&2; exit 2 ;;
  esac
done
