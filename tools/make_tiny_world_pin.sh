#!/usr/bin/env bash
# Regenerates Tests/TrajectoryTests/Fixtures/tiny-world-pin/: a REGRESSION pin, not a reference value. It records
# what Kasane itself stored for two tiny-world checkpoints (predictions, scores, aggregates, the stability table),
# so that redesigns can prove behaviour unchanged. The first version was made by main at 9f81f83 (before #10).
# Re-pinned once when exports moved to the JSON layer's writer: integral floats are now written as Python's json
# writes them (0.0 where Foundation wrote 0); every value was checked identical and stability.json unchanged. And once
# when the trainer's config.json moved to transformers' own layout: only the checkpoint fingerprints changed. And once
# when stability gained bootstrap statistics: stability.json only gained the "statistics" fields. And once when
# examples gained log-probs: predictions.jsonl only gained gold_logprob, gold_tokens, prediction_logprob and
# prediction_tokens on raw rows (every other field checked identical), and stability.json only gained the dataset
# rows' goldLogprobMean, goldLogprobMTV and goldLogprobSignalToNoise (the pin's scores are flat, so no score SNR).
# And once when stability gained category/AVG bootstrap statistics: stability.json only gained "levelStatistics"
# (222 added lines, none removed or changed).
# And once when the forward became batch-invariant (issue #11): the pin had stored the gold log-probs of batch 8,
# whose teacher-forced rows shared OpenBLAS calls with other samples' rows; they are now what batch 1 gives (main at
# --batch-size 1 already gave these): 76 gold_logprob values moved by at most 1.7e-7 relative, and the dataset rows'
# goldLogprob* fields of stability.json with them; everything else identical.
# And once when the pin became independent of the CPU: it had been made on an AVX-512 Intel machine (OpenBLAS SkylakeX,
# Kasane's AVX-512 kernels, 2 threads) and failed on AMD EPYC (Zen) machines, whose kernels sum in another order, so the
# trained weights differed in their last bits. Every step now runs on the AVX2 kernels and one thread; re-made on an AMD
# EPYC, where the default settings (Zen, 2 threads) give other bits again. Nothing else changed.
# And once when inference products were split over Kasane's pool in pieces cut from the shape alone (issue #11; the
# same pieces at every thread count, since OpenBLAS picks its kernel by each call's shape): 360 gold_logprob and 360
# prediction_logprob values moved by at most 4.1e-7 relative, and stability.json's goldLogprob* fields with them;
# predictions, scores and aggregates identical.
# And once when log-softmax moved to Linalg's vector logSumExp (fp32 exp8 lanes, summed in Double; glibc's scalar
# double exp made log-probs cost 20% of an eval): 360 gold_logprob and 360 prediction_logprob values moved by at most
# 3.0e-6 absolute (1.8e-7 relative; transformers goldens hold at 1e-4), and stability.json's goldLogprob* fields.
# And once when every linear layer moved to Kasane's row-dot kernels at any row count (issue #11; prompts had gone
# through OpenBLAS's sgemm): 356 gold_logprob and 360 prediction_logprob values moved by at most 8.8e-6 absolute
# (8.3e-7 relative), and stability.json's goldLogprob* fields with them; predictions, scores and aggregates identical.
# And once when attention moved to Kasane's own kernels, one path for prompts and decoding (issue #11; prompt blocks
# had gone through OpenBLAS): 355 gold_logprob and 358 prediction_logprob values moved by at most 6.9e-6 absolute
# (6.8e-7 relative), and stability.json's goldLogprob* fields and gold series with them; predictions, scores and
# aggregates identical.
# And once when SwiGLU's silu moved to a C kernel on 16-lane vectors (fused multiply-adds in its exp): 56 gold_logprob
# and 63 prediction_logprob values moved by at most 1.1e-6 absolute (3.3e-7 relative), and stability.json's
# goldLogprob* fields; predictions, scores and aggregates identical.
# And once when a logits row's argmax and log Σ exp moved to C kernels on 16-lane vectors (Swift's 8 lanes before, so
# the exponentials are summed in another order): 360 gold_logprob and 360 prediction_logprob values moved by at most
# 1.9e-6 absolute (1.2e-7 relative), and stability.json's goldLogprob* fields and gold series with them; predictions,
# scores and aggregates identical.
# Fidelity against the reference tools is checked elsewhere (transformers logits, sacrebleu, llm-jp-eval fixtures).
# Usage: tools/make_tiny_world_pin.sh [path/to/kasane]   (the steps must match TinyWorldPinTests.swift)
set -euo pipefail
# The same kernels on every x86-64 machine with AVX2+FMA (see pinnedNumerics in TinyWorldPinTests.swift).
export OPENBLAS_CORETYPE=Haswell KASANE_KERNEL=avx2 KASANE_THREADS=1 OPENBLAS_NUM_THREADS=1
cd "$(dirname "$0")/.."
kasane=$(realpath "${1:-.build/release/kasane}")
fixture=$PWD/Tests/TrajectoryTests/Fixtures/tiny-world-pin
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/models"
cp "$fixture/recipe.json" "$tmp/models/recipe.json"
"$kasane" world --output "$tmp/models/tiny-world/world" >/dev/null
"$kasane" pretrain --config "$tmp/models/recipe.json" --output "$tmp/models/run" --log-every 80 >/dev/null
"$kasane" eval --checkpoints "$tmp/models/run" --evalsets "$PWD/evalsets/tiny-world" --db "$tmp/r.sqlite" \
  --run tiny-pin --max-samples 20 --quiet >/dev/null
"$kasane" ensemble --db "$tmp/r.sqlite" --window 2 >/dev/null
"$kasane" stability --db "$tmp/r.sqlite" --last-fraction all --windows 1,2 --json "$tmp/stability.json" >/dev/null
"$kasane" export --db "$tmp/r.sqlite" --format jsonl --output "$tmp/export" >/dev/null
for f in export/predictions.jsonl export/scores.jsonl export/aggregates.jsonl stability.json; do
  sed "s#$tmp#\$TMP#g" "$tmp/$f" > "$fixture/$(basename "$f")"
done
echo "wrote $fixture"
