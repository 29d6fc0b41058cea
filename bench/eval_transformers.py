#!/usr/bin/env python3
"""The transformers baseline for bench/bench_eval.sh: llm-jp-eval's HF path, one prompt at a time.

    python3 bench/eval_transformers.py --model DIR --evalsets ROOT [--max-samples 100] [--shots 4] [--out preds.jsonl]

Prompts use the v1.4.1 template (the reference renderer of tools/make_eval_fixtures.py), tokenized with
add_special_tokens=False; generation is greedy with max_new_tokens = output_length, stopping at EOS only
(as llm-jp-eval's pipeline does). Prints the wall time of the generation loop.
"""
import argparse
import json
import os
import sys
import time

import torch
from transformers import LlamaForCausalLM, PreTrainedTokenizerFast

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from make_eval_fixtures import render_default  # noqa: E402


def evaluation_dir(root):
    if os.path.isdir(os.path.join(root, "evaluation")):
        return os.path.join(root, "evaluation")
    versions = [v for v in sorted(os.listdir(root)) if os.path.isdir(os.path.join(root, v, "evaluation"))]
    return os.path.join(root, versions[0], "evaluation")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--evalsets", required=True)
    ap.add_argument("--max-samples", type=int, default=100)
    ap.add_argument("--shots", type=int, default=4)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(a.model, "tokenizer.json"))
    model = LlamaForCausalLM.from_pretrained(a.model, torch_dtype=torch.float32).eval()
    ev = evaluation_dir(a.evalsets)
    names = sorted(n[:-5] for n in os.listdir(os.path.join(ev, a.split)) if n.endswith(".json"))
    jobs = []
    for name in names:
        d = json.load(open(os.path.join(ev, a.split, name + ".json"), encoding="utf-8"))
        shots = json.load(open(os.path.join(ev, "train", name + ".json"), encoding="utf-8"))["samples"][:a.shots]
        samples = d["samples"][:a.max_samples] if a.max_samples > 0 else d["samples"]
        for i, s in enumerate(samples):
            jobs.append((name, i, render_default(d["instruction"], shots, s["input"]), d["output_length"]))
    out = []
    tokens = 0
    start = time.perf_counter()
    with torch.inference_mode():
        for name, i, prompt, length in jobs:
            ids = tok(prompt, add_special_tokens=False, return_tensors="pt").input_ids
            gen = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=length, do_sample=False,
                                 eos_token_id=2, pad_token_id=2)
            new = gen[0, ids.shape[1]:].tolist()
            tokens += ids.shape[1] + len(new)
            out.append({"dataset": name, "index": i, "generated_ids": new,
                        "generated": tok.decode(new, skip_special_tokens=True)})
    wall = time.perf_counter() - start
    print(json.dumps({"samples": len(jobs), "wall_seconds": wall, "tokens": tokens, "torch_threads": torch.get_num_threads()}))
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            for r in out:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
