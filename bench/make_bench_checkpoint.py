#!/usr/bin/env python3
"""Builds the benchmark checkpoint: llm-jp-3-150m-shaped Llama (12 layers, hidden 512, intermediate 2048, 8 heads,
vocab 99,584), random weights (seeded), BF16 storage, written by transformers' save_pretrained (safetensors), plus the
prompt token ids the benchmarks share. Usage: make_bench_checkpoint.py OUT_DIR"""
import json
import os
import sys

import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM

SHAPE = dict(hidden_size=512, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=8,
             num_key_value_heads=8, vocab_size=99584, max_position_embeddings=4096, rms_norm_eps=1e-5,
             rope_theta=10000.0, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)


def main():
    out = sys.argv[1]
    if os.path.exists(os.path.join(out, "prompts.json")):
        print(f"{out}: exists")
        return
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    config = LlamaConfig(**SHAPE)
    model = LlamaForCausalLM(config).to(torch.bfloat16)
    model.save_pretrained(out, safe_serialization=True)
    g = torch.Generator().manual_seed(1)
    # Ids of real tokenizer pieces only (the tokenizer has 99,574; the padded rows are never produced).
    prompts = {
        "prefill": torch.randint(3, 99574, (512,), generator=g).tolist(),
        "decode": torch.randint(3, 99574, (128,), generator=g).tolist(),
        "transformers": transformers.__version__, "torch": torch.__version__,
    }
    with open(os.path.join(out, "prompts.json"), "w") as f:
        json.dump(prompts, f)
    print(f"{out}: {sum(p.numel() for p in model.parameters()):,} parameters, bf16")


if __name__ == "__main__":
    main()
