#!/usr/bin/env python3
"""CPU-hours of a 100-checkpoint run of the 1.8b shape over llm-jp-eval v1.4.1's nine categories, extrapolated
from two measurements on this machine (docs/CLUSTER.md):
  1. `kasane eval --log LOG` of the 1.8b checkpoint on ../shared/evalsets-real at a few samples per dataset
     (8 datasets, prefix cache, default batch): seconds per example spent on prompts (prefix + input) and decoding;
  2. the decode rate at batch 8 from bench_engine's .build-bench/engine-results-llmjp1p8b.json.
Model: per example = prompt seconds (the measured mean) + output_length / decode8 rate. Random weights never emit
"\n\n" or EOS, so every example decodes its full output_length: an upper bound for a trained model, which stops
early on the short-answer tasks (the long-output FA and MT datasets dominate either way).
Usage: estimate_cluster_hours.py EVAL_LOG [--samples 100] [--checkpoints 100] [--cpus 2]"""
import argparse
import json
import os
import re

# v1.4.1's datasets of the nine categories with their output_length (spec llm-jp-eval.md §7).
SUITE = {"jamp": 3, "janli": 7, "jnli": 3, "jsem": 3, "jsick": 3, "jemhopqa": 15, "niilc": 180, "aio": 50,
         "jsquad": 25, "jcommonsenseqa": 1, "commonsensemoralja": 3, "kuci": 1, "chabsa": 191, "wiki_reading": 512,
         "wiki_ner": 256, "wiki_dependency": 512, "wiki_pas": 512, "wiki_coreference": 256, "mawps": 10,
         "alt-e-to-j": 250, "alt-j-to-e": 500, "wikicorpus-e-to-j": 300, "wikicorpus-j-to-e": 550, "mmlu_en": 1,
         "jmmlu": 5}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--engine", default=os.path.join(os.path.dirname(__file__), "..", ".build-bench",
                                                     "engine-results-llmjp1p8b.json"))
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--checkpoints", type=int, default=100)
    ap.add_argument("--cpus", type=int, default=2)
    args = ap.parse_args()
    decode8 = json.load(open(args.engine))["medians"]["kasane"]["decode8_tokens_per_second"]
    rows = [dict(re.findall(r"(\w+)=(\S+)", line)) for line in open(args.log) if " dataset=" in line and " new=" in line]
    examples = sum(int(r["new"]) for r in rows)
    seconds = sum(float(r["seconds"]) for r in rows)
    generated = sum(int(r["generated_tokens"]) for r in rows)
    prompt_seconds = max(0.0, seconds - generated / decode8) / examples
    per_checkpoint = sum(args.samples * (prompt_seconds + length / decode8) for length in SUITE.values())
    print(f"measured: {examples} examples in {seconds:.1f} s, {generated} generated tokens; decode batch 8"
          f" {decode8:.2f} tok/s → prompts {prompt_seconds:.2f} s per example")
    print(f"one checkpoint, {len(SUITE)} datasets × {args.samples} samples, every output at full length:"
          f" {per_checkpoint / 3600:.2f} h wall on {args.cpus} CPUs = {per_checkpoint * args.cpus / 3600:.1f} CPU-hours")
    total = per_checkpoint * args.cpus * args.checkpoints / 3600
    print(f"{args.checkpoints} checkpoints: {total:,.0f} CPU-hours (upper bound; ≈ {total / 24:,.0f} CPU-days)")


if __name__ == "__main__":
    main()
