#!/usr/bin/env python3
"""Anchor: llama.cpp (through llama-cpp-python, built from source) on the F32 GGUF of the benchmark checkpoint, 2
threads. Prefill: the 512-token prompt in one batch (logits of the last position only). Decode: greedy steps at
batch 1 after the 128-token prompt, prefill not timed. Prints one JSON object.
Usage: anchor_llamacpp.py MODEL.gguf PROMPTS.json [--steps N] [--threads T] [--dtype F16]"""
import argparse
import json
import time

import numpy as np
import llama_cpp
from llama_cpp import Llama


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf")
    ap.add_argument("prompts")
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dtype", default="F32", help="the GGUF's weight type, for the label")
    args = ap.parse_args()
    prompts = json.load(open(args.prompts))
    llm = Llama(model_path=args.gguf, n_ctx=1024, n_batch=512, n_ubatch=512, n_threads=args.threads,
                n_threads_batch=args.threads, logits_all=False, verbose=False)

    def prefill():
        llm.reset()
        t = time.perf_counter()
        llm.eval(prompts["prefill"])
        return time.perf_counter() - t

    prefill()  # warm-up
    prefill_s = min(prefill() for _ in range(3))

    def decode():
        llm.reset()
        llm.eval(prompts["decode"])
        t = time.perf_counter()
        for _ in range(args.steps):
            nxt = int(np.argmax(llm.scores[llm.n_tokens - 1]))
            llm.eval([nxt])
        return time.perf_counter() - t

    decode()  # warm-up
    d1 = min(decode() for _ in range(2))
    print(json.dumps({
        "engine": f"llama.cpp via llama-cpp-python {llama_cpp.__version__}, {args.dtype} GGUF, {args.threads} threads",
        "prefill_tokens_per_second": len(prompts["prefill"]) / prefill_s,
        "decode1_tokens_per_second": args.steps / d1,
    }))


if __name__ == "__main__":
    main()
