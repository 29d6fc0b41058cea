#!/usr/bin/env bash
# Trainer throughput on the tiny-world recipe's shape (hidden 128, 4 layers, ffn 352, seq 512, batch 8): runs
# `kasane pretrain` for a few steps into a temporary folder and prints its tokens/s lines. Replaces the old
# TrainerSpeedBench test (timings belong in benchmarks, not tests). Usage: bench/bench_trainer.sh [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-20}
kasane=$PWD/.build/release/kasane
[ -x "$kasane" ] || swift build -c release --product kasane >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/models"
cp models/tiny-world.recipe.json "$tmp/models/recipe.json"
"$kasane" world --output "$tmp/models/tiny-world/world" >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$kasane" pretrain --config "$tmp/models/recipe.json" --output "$tmp/run" --steps "$steps" --save-every "$steps" \
  --log-every 5 | grep -E "^model|^step"
