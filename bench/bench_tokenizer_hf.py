#!/usr/bin/env python3
"""Anchor for bench_tokenizer.sh: the Hugging Face tokenizers library (Rust) on one thread.

Prints one JSON line like `kasane tokenize --benchmark`. Each timed pass uses a freshly loaded tokenizer,
so the Unigram/BPE result cache starts empty (Kasane has no cache); `encode_batch` avoids per-call Python
overhead and is the figure compared against."""
import json, os, sys, time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
import tokenizers  # noqa: E402  (after the thread settings)

path, corpus = sys.argv[1], sys.argv[2]
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
texts = [json.loads(line)["text"] for line in open(corpus, encoding="utf-8") if line.strip()]
nbytes = sum(len(t.encode()) for t in texts)

t0, c0 = time.perf_counter(), time.process_time()
tok = tokenizers.Tokenizer.from_file(path)
load_ms = (time.perf_counter() - t0) * 1e3
load_cpu_ms = (time.process_time() - c0) * 1e3

best_batch = best_loop = best_batch_cpu = float("inf")
ntokens = 0
for _ in range(repeats):
    tok = tokenizers.Tokenizer.from_file(path)
    t0, c0 = time.perf_counter(), time.process_time()
    encs = tok.encode_batch(texts, add_special_tokens=False)
    best_batch = min(best_batch, time.perf_counter() - t0)
    best_batch_cpu = min(best_batch_cpu, time.process_time() - c0)
    ntokens = sum(len(e.ids) for e in encs)
    tok = tokenizers.Tokenizer.from_file(path)
    t0 = time.perf_counter()
    for t in texts:
        tok.encode(t, add_special_tokens=False)
    best_loop = min(best_loop, time.perf_counter() - t0)

print(json.dumps({"impl": f"hf-tokenizers-{tokenizers.__version__}", "load_ms": round(load_ms, 1),
                  "load_cpu_ms": round(load_cpu_ms, 1), "texts": len(texts),
                  "bytes": nbytes, "tokens": ntokens, "encode_s": round(best_batch, 4),
                  "mb_per_s": round(nbytes / 1e6 / best_batch, 2),
                  "mb_per_s_cpu": round(nbytes / 1e6 / best_batch_cpu, 2),
                  "mb_per_s_encode_loop": round(nbytes / 1e6 / best_loop, 2)}))
