#!/usr/bin/env bash
# COMET scoring time on CPU: Kasane's native scorer vs unbabel-comet's model.predict, same random wmt22-architecture
# model and same triples. Needs `pip install unbabel-comet sentencepiece "setuptools<80"`.
#   bash bench/bench_comet.sh [hidden] [layers] [repeat]      (defaults 384 6 20: 240 segments)
set -euo pipefail
cd "$(dirname "$0")/.."
HIDDEN=${1:-384} LAYERS=${2:-6} REPEAT=${3:-20}
OUT=${KASANE_COMET_BENCH_DIR:-/tmp/kasane-comet-bench-$HIDDEN-$LAYERS}
SCRATCH=${SCRATCH:-.build-comet}
python3 bench/bench_comet.py --out "$OUT" --hidden "$HIDDEN" --layers "$LAYERS" --heads $((HIDDEN / 64)) \
    --repeat "$REPEAT" 2>/dev/null | tail -1
swift build -c release --scratch-path "$SCRATCH" --build-tests -Xswiftc -enable-testing >/dev/null
# The kasane binary re-executes itself with the fastest OpenBLAS kernels (BLAS.ensureFastCore); a test process
# cannot, so choose them the same way here unless the caller did.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
    if grep -qw avx512f /proc/cpuinfo && grep -q GenuineIntel /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
    elif grep -qw avx2 /proc/cpuinfo; then
        if grep -q AuthenticAMD /proc/cpuinfo; then export OPENBLAS_CORETYPE=Zen; else export OPENBLAS_CORETYPE=Haswell; fi
    fi
fi
# Likewise its OpenBLAS threads sleep at once after a call instead of spinning on sched_yield (ensureFastCore).
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-4}
# The Kasane side is a test that runs only when KASANE_COMET_BENCH_MODEL is set; it prints one JSON line.
KASANE_COMET_BENCH_MODEL="$OUT" KASANE_COMET_BENCH_REPEAT="$REPEAT" \
    swift test -c release --scratch-path "$SCRATCH" --skip-build -Xswiftc -enable-testing \
    --filter CometTests.benchScoring 2>/dev/null | grep '"impl"'
