#!/usr/bin/env bash
# Runs every benchmark; each prints ratios against anchors measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
for b in bench/bench_*.sh; do
  [ -e "$b" ] || { echo "no benchmarks yet"; exit 0; }
  echo "== $b"; bash "$b"
done
