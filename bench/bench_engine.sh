#!/usr/bin/env bash
# Engine speed: Kasane vs transformers/torch fp32 and llama.cpp F32 on an llm-jp-3-150m-shaped checkpoint
# (12 layers, hidden 512, intermediate 2048, 8 heads, vocab 99,584, BF16 storage, random weights), measured in the
# same run with the same thread count. Generated files live in .build-bench/ (gitignored).
# Needs: python3 with torch + transformers (+ gguf and llama-cpp-python for the llama.cpp anchor).
# Options pass through to bench/bench_engine.py (--threads, --steps, --repeats, --skip kasane,torch,llamacpp).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .build-bench
python3 bench/make_bench_checkpoint.py .build-bench/llmjp150m
[ -x .build/release/kasane ] || swift build -c release --product kasane
python3 bench/bench_engine.py "$@"
