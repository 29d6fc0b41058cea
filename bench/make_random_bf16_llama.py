#!/usr/bin/env python3
"""A random BF16 Llama checkpoint written straight to safetensors with numpy (no torch), streamed tensor by tensor,
so even the 7B shape (13.5 GB) needs little memory to write. For memory and speed checks only, never committed.

    python3 bench/make_random_bf16_llama.py OUT_DIR [--shape 150m|1.8b|7b] [--seed 0]

Values: random sign and mantissa, magnitudes in [2^-8, 2^-4) (about the scale of trained weights); norms are 1.
"""
import argparse
import json
import os
import struct

import numpy as np

SHAPES = {
    "150m": dict(hidden_size=512, intermediate_size=2048, num_hidden_layers=12, num_attention_heads=8,
                 num_key_value_heads=8),
    "1.8b": dict(hidden_size=2048, intermediate_size=7168, num_hidden_layers=24, num_attention_heads=16,
                 num_key_value_heads=16),
    "7b": dict(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32,
               num_key_value_heads=32),
}
VOCAB = 99584


def tensors(c):
    h, f, L = c["hidden_size"], c["intermediate_size"], c["num_hidden_layers"]
    hd = h // c["num_attention_heads"]
    kv = c["num_key_value_heads"] * hd
    yield "model.embed_tokens.weight", [VOCAB, h]
    for i in range(L):
        p = f"model.layers.{i}."
        yield p + "input_layernorm.weight", [h]
        yield p + "self_attn.q_proj.weight", [h, h]
        yield p + "self_attn.k_proj.weight", [kv, h]
        yield p + "self_attn.v_proj.weight", [kv, h]
        yield p + "self_attn.o_proj.weight", [h, h]
        yield p + "post_attention_layernorm.weight", [h]
        yield p + "mlp.gate_proj.weight", [f, h]
        yield p + "mlp.up_proj.weight", [f, h]
        yield p + "mlp.down_proj.weight", [h, f]
    yield "model.norm.weight", [h]
    yield "lm_head.weight", [VOCAB, h]


def random_bf16(rng, n):
    bits = rng.integers(0, 1 << 16, size=n, dtype=np.uint16)
    exponent = (rng.integers(0x77, 0x7B, size=n, dtype=np.uint16) << 7)  # 2^-8 ... 2^-5 times 1.mantissa
    return (bits & np.uint16(0x807F)) | exponent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--shape", default="150m", choices=sorted(SHAPES))
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    c = SHAPES[a.shape]
    os.makedirs(a.out, exist_ok=True)
    config = dict(architectures=["LlamaForCausalLM"], model_type="llama", vocab_size=VOCAB,
                  max_position_embeddings=4096, rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
                  bos_token_id=1, eos_token_id=2, hidden_act="silu", torch_dtype="bfloat16", **c)
    with open(os.path.join(a.out, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    header, offset = {}, 0
    items = list(tensors(c))
    for name, shape in items:
        size = int(np.prod(shape)) * 2
        header[name] = dict(dtype="BF16", shape=shape, data_offsets=[offset, offset + size])
        offset += size
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    rng = np.random.default_rng(a.seed)
    with open(os.path.join(a.out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for name, shape in items:
            n = int(np.prod(shape))
            if len(shape) == 1:
                f.write(np.full(n, 0x3F80, dtype=np.uint16).tobytes())  # 1.0
                continue
            chunk = 1 << 24
            for start in range(0, n, chunk):
                f.write(random_bf16(rng, min(chunk, n - start)).tobytes())
    params = offset // 2
    print(f"{a.out}: {a.shape}, {params:,} parameters, {offset / 1e9:.2f} GB bf16 ({2 * offset / 1e9:.2f} GB as fp32)")


if __name__ == "__main__":
    main()
