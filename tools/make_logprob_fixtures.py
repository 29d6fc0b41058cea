#!/usr/bin/env python3
"""Golden log-probabilities for Kasane's per-example log-probs, from transformers.

1. Tests/LlamaTests/Fixtures/logprobs.json: on two engine fixture checkpoints (written by tools/make_fixtures.py),
   transformers (fp32, eager attention, weights as stored upcast to fp32) gives, for a few prompts sharing a prefix,
   - the teacher-forced log-probs of a continuation after the prompt: log_softmax(logits)[next id] at every position
     of prompt + continuation (full vocabulary, float64);
   - a greedy generation (argmax, stopping after an EOS id or max_new_tokens; the EOS is kept) and the log-prob of
     each chosen id under the same rule.
2. Tests/EvaluationTests/Fixtures/gold_continuations.json: lm-eval's continuation rule on a real tokenizer (the tiny
   world's Unigram tokenizer.json, Tests/TinyWorldTests/Fixtures), tokenized by Hugging Face `tokenizers`:
   continuation = encode(prompt + gold)[len(encode(prompt)):], without special tokens.

Rerun: `python3 tools/make_logprob_fixtures.py` (needs torch, transformers, tokenizers).
"""
import json
import os
import sys

import tokenizers
import torch
import transformers
from transformers import AutoModelForCausalLM

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MODELS = ["mha-f32-untied-4x", "gqa-bf16-tied-5x"]
MAX_NEW_TOKENS = 8
VERSIONS = {"transformers": transformers.__version__, "torch": torch.__version__,
            "tokenizers": tokenizers.__version__, "python": sys.version.split()[0]}


def log_softmax_rows(model, ids):
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0]
    return torch.log_softmax(logits.double(), dim=-1)


def model_case(name):
    directory = os.path.join(ROOT, "Tests", "LlamaTests", "Fixtures", name)
    model = AutoModelForCausalLM.from_pretrained(directory, torch_dtype=torch.float32, attn_implementation="eager")
    model.eval()
    eos = model.config.eos_token_id
    eos = set(eos if isinstance(eos, list) else [eos])
    vocab = model.config.vocab_size
    g = torch.Generator().manual_seed(1234)

    def rand(n):
        return [int(x) for x in torch.randint(3, vocab, (n,), generator=g)]

    shared = rand(12)
    prompts = [shared + rand(5), shared + rand(3), shared[:7] + rand(6), rand(9)]
    continuations = [rand(4), rand(1), rand(7), rand(3)]
    cases = []
    for prompt, continuation in zip(prompts, continuations):
        rows = log_softmax_rows(model, prompt + continuation)
        gold = [float(rows[len(prompt) - 1 + i, t]) for i, t in enumerate(continuation)]
        generated, chosen = [], []
        while len(generated) < MAX_NEW_TOKENS:
            row = log_softmax_rows(model, prompt + generated)[-1]
            token = int(torch.argmax(row))
            generated.append(token)
            chosen.append(float(row[token]))
            if token in eos:
                break
        cases.append({"prompt": prompt, "continuation": continuation, "continuation_logprobs": gold,
                      "continuation_logprob": sum(gold), "generated": generated, "generated_logprobs": chosen,
                      "generated_logprob": sum(chosen)})
    return {"model": name, "max_new_tokens": MAX_NEW_TOKENS, "eos_token_ids": sorted(eos), "shared_prefix": shared,
            "cases": cases}


def tokenizer_cases():
    path = os.path.join(ROOT, "Tests", "TinyWorldTests", "Fixtures", "tokenizer.json")
    tok = tokenizers.Tokenizer.from_file(path)
    pairs = [
        ("### 指示:\nソラの誕生日は何月ですか。\n\n### 応答:\n", "8月"),
        ("質問: レンの好きな色は?\n答え:", " 黄色"),
        ("Jiro likes the colour", " black."),
        ("イヌは哺乳類の", "仲間です。"),
        ("Ren likes the colour yel", "low"),
    ]
    out = []
    for prompt, gold in pairs:
        context = tok.encode(prompt, add_special_tokens=False).ids
        whole = tok.encode(prompt + gold, add_special_tokens=False).ids
        out.append({"prompt": prompt, "gold": gold, "prompt_ids": context, "continuation": whole[len(context):]})
    return {"tokenizer": "Tests/TinyWorldTests/Fixtures/tokenizer.json", "cases": out}


def write(path, document):
    with open(path, "w") as f:
        json.dump(dict(document, versions=VERSIONS), f, indent=1, ensure_ascii=False)
        f.write("\n")


def main():
    write(os.path.join(ROOT, "Tests", "LlamaTests", "Fixtures", "logprobs.json"),
          {"models": [model_case(name) for name in MODELS]})
    write(os.path.join(ROOT, "Tests", "EvaluationTests", "Fixtures", "gold_continuations.json"), tokenizer_cases())


if __name__ == "__main__":
    main()
