#!/usr/bin/env python3
"""Anchor: transformers on torch CPU in fp32 with 2 threads, on the benchmark checkpoint.
Prefill: one 512-token prompt, logits for the last position only (logits_to_keep=1).
Decode: after a 128-token prompt, greedy steps with the KV cache at batch 1 and 8; tokens/s = batch x steps / time
(the prefill that yields the first token is not timed). Prints one JSON object.
Usage: anchor_torch.py CHECKPOINT_DIR [--steps N] [--threads T]"""
import argparse
import json
import os
import time

import torch
import transformers
from transformers import LlamaForCausalLM


def best_of(n, fn):
    return min(fn() for _ in range(n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    prompts = json.load(open(os.path.join(args.checkpoint, "prompts.json")))
    model = LlamaForCausalLM.from_pretrained(args.checkpoint, dtype=torch.float32).eval()

    prefill_ids = torch.tensor([prompts["prefill"]])

    def prefill():
        t = time.perf_counter()
        with torch.inference_mode():
            model(prefill_ids, logits_to_keep=1, use_cache=False)
        return time.perf_counter() - t

    prefill()  # warm-up
    prefill_s = best_of(3, prefill)

    def decode(batch):
        ids = torch.tensor([prompts["decode"]] * batch)
        with torch.inference_mode():
            out = model(ids, use_cache=True, logits_to_keep=1)
            past = out.past_key_values
            nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            t = time.perf_counter()
            for _ in range(args.steps):
                out = model(nxt, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            return time.perf_counter() - t

    decode(1)  # warm-up
    d1 = best_of(2, lambda: decode(1))
    d8 = best_of(2, lambda: decode(8))
    print(json.dumps({
        "engine": f"transformers {transformers.__version__} / torch {torch.__version__} fp32, {args.threads} threads",
        "prefill_tokens_per_second": len(prompts["prefill"]) / prefill_s,
        "decode1_tokens_per_second": args.steps / d1,
        "decode8_tokens_per_second": 8 * args.steps / d8,
    }))


if __name__ == "__main__":
    main()
