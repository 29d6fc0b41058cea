#!/usr/bin/env bash
# Checkpoint averaging: `kasane average --all` vs a torch/safetensors anchor on the same synthetic run.
# Usage: bash bench/bench_averaging.sh RUN_DIR [WINDOW]   (RUN_DIR: checkpoint-N folders with bf16 model.safetensors)
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:?run folder}; WINDOW=${2:-3}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
/usr/bin/time -f "kasane: wall %e s, max RSS %M KB" .build/release/kasane average --checkpoints "$RUN" --window "$WINDOW" --all --output "$OUT/kasane"
/usr/bin/time -f "anchor: wall %e s, max RSS %M KB" python3 bench/bench_averaging_anchor.py "$RUN" "$WINDOW" "$OUT/anchor"
