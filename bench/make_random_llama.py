#!/usr/bin/env python3
"""A seeded random LLaMA checkpoint for benchmarks (never committed).

    python3 bench/make_random_llama.py OUT_DIR [--shape 150m|tiny] [--tokenizer PATH] [--seed 0]

150m = the llm-jp-3-150m shape (12 layers, hidden 512, intermediate 2048, 8 heads, head_dim 64, vocab 99584,
untied embeddings); weights ~ N(0, 0.02) from transformers' initializer with the given seed, saved as fp32
safetensors with config.json, plus the LLM-jp v3 tokenizer.json so the folder is self-contained.
"""
import argparse
import os
import shutil

import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM

SHAPES = {
    "150m": dict(hidden_size=512, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=8,
                 num_key_value_heads=8, head_dim=64),
    "tiny": dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, head_dim=16),
}

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--shape", default="150m", choices=sorted(SHAPES))
    ap.add_argument("--seed", type=int, default=0)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--tokenizer", default=None)
    a = ap.parse_args()
    tok = a.tokenizer
    if tok is None:
        d = os.path.dirname(here)
        while d != os.path.dirname(d):
            d = os.path.dirname(d)
            cand = os.path.join(d, "shared", "reference", "tokenizers", "llm-jp-v3", "tokenizer.json")
            if os.path.exists(cand):
                tok = cand
                break
    torch.manual_seed(a.seed)
    cfg = LlamaConfig(vocab_size=99584, max_position_embeddings=4096, rms_norm_eps=1e-5, rope_theta=10000.0,
                      tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, torch_dtype="float32",
                      **SHAPES[a.shape])
    model = LlamaForCausalLM(cfg).eval()
    os.makedirs(a.out, exist_ok=True)
    model.save_pretrained(a.out, safe_serialization=True)
    if tok:
        shutil.copy(tok, os.path.join(a.out, "tokenizer.json"))
    print(f"wrote {a.out} ({a.shape}, seed {a.seed}, transformers {transformers.__version__})")
