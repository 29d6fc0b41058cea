#!/usr/bin/env bash
# Tokenizer speed: Kasane vs the Hugging Face tokenizers library (one thread each, same run).
# Encode throughput on the JGLUE texts with the LLM-jp v3 tokenizer, and tokenizer.json load time.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/reference" ] || SHARED=/work/shared
KASANE=${KASANE:-.build/release/kasane}
REPEATS=${REPEATS:-5}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
python3 bench/tokenizer_corpus.py "$SHARED" "$TMP/jglue.jsonl"
for name in llm-jp-v3 spm-bpe bytelevel-bpe; do
  tj="$SHARED/reference/tokenizers/$name/tokenizer.json"
  ours=$("$KASANE" tokenize --tokenizer "$tj" --jsonl "$TMP/jglue.jsonl" --benchmark --repeats "$REPEATS")
  ref=$(python3 bench/bench_tokenizer_hf.py "$tj" "$TMP/jglue.jsonl" "$REPEATS")
  python3 - "$name" "$ours" "$ref" <<'PY'
import json, sys
name, ours, ref = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
assert ours["tokens"] == ref["tokens"], f"token counts differ: {ours['tokens']} vs {ref['tokens']}"
print(f"{name}: {ours['texts']} texts, {ours['bytes']/1e6:.2f} MB, {ours['tokens']} tokens (same count as HF)")
print(f"  encode  kasane {ours['mb_per_s']:.2f} MB/s | {ref['impl']} encode_batch {ref['mb_per_s']:.2f} MB/s"
      f" (encode loop {ref['mb_per_s_encode_loop']:.2f}) | ratio {ours['mb_per_s']/ref['mb_per_s']:.2f}x")
print(f"  encode CPU time: kasane {ours['mb_per_s_cpu']:.2f} MB/s | hf {ref['mb_per_s_cpu']:.2f} MB/s | ratio {ours['mb_per_s_cpu']/ref['mb_per_s_cpu']:.2f}x")
print(f"  load    kasane {ours['load_ms']:.0f} ms wall, {ours['load_cpu_ms']:.0f} ms CPU | hf {ref['load_ms']:.0f} ms wall,"
      f" {ref['load_cpu_ms']:.0f} ms CPU | kasane {ref['load_cpu_ms']/ours['load_cpu_ms']:.2f}x faster (CPU)")
PY
done
