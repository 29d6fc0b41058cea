#!/usr/bin/env python3
"""Golden fixtures for the Llama engine tests (Tests/LlamaTests/Fixtures/).

Builds small random LLaMA checkpoints with transformers, then records, with transformers run in fp32 with eager
attention on the weights as stored (BF16/F16 upcast to fp32): the logits at every position of a few prompts and
12-token greedy continuations. Rerun: `python3 tools/make_fixtures.py` (needs torch, transformers, safetensors).

Covered: MHA and GQA, head_dim 96 implied by hidden/heads, an explicit head_dim 192 != hidden/heads, tied and untied
embeddings, F32/F16/BF16 storage, a sharded index, transformers 4.x configs (written by hand: the installed
transformers may be 5.x) and 5.x configs (`rope_parameters`, `dtype`), llama3 RoPE scaling, EOS as int and as list.
"""
import json
import os
import shutil
import sys

import safetensors
import torch
import transformers
from transformers import LlamaConfig, LlamaForCausalLM

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "LlamaTests", "Fixtures")
MAX_NEW_TOKENS = 12
VERSIONS = {"transformers": transformers.__version__, "torch": torch.__version__,
            "safetensors": safetensors.__version__, "python": sys.version.split()[0]}

# name, architecture, storage dtype, config style, shard size (None = single file), rope scaling (4.x dict)
MODELS = [
    dict(name="mha-f32-untied-4x", hidden=64, heads=4, kv=4, head_dim=None, inter=160, layers=2, vocab=320,
         tied=False, dtype=torch.float32, style="4x", eos=2, theta=10000.0, eps=1e-5),
    dict(name="gqa-bf16-tied-5x", hidden=64, heads=8, kv=2, head_dim=None, inter=128, layers=2, vocab=256,
         tied=True, dtype=torch.bfloat16, style="5x", eos=[2, 5], theta=10000.0, eps=1e-6),
    dict(name="hd96-f16-sharded-4x", hidden=192, heads=2, kv=1, head_dim=None, inter=128, layers=2, vocab=256,
         tied=False, dtype=torch.float16, style="4x", eos=2, theta=10000.0, eps=1e-5, shard="150KB"),
    dict(name="headdim192-bf16-5x", hidden=96, heads=2, kv=1, head_dim=192, inter=128, layers=2, vocab=256,
         tied=False, dtype=torch.bfloat16, style="5x", eos=2, theta=10000.0, eps=1e-5),
    dict(name="llama3rope-f32-4x", hidden=64, heads=4, kv=2, head_dim=None, inter=128, layers=2, vocab=256,
         tied=True, dtype=torch.float32, style="4x", eos=None, theta=500000.0, eps=1e-5,
         rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                       "original_max_position_embeddings": 16}),
]


def randomize(model, seed):
    """Weights of order-one activations so that greedy argmaxes are far from ties (HF init gives near-uniform logits)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1:
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif "embed_tokens" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * (1.5 / p.shape[1] ** 0.5))


def config_4x(spec, dtype_name):
    """A transformers 4.4x-style config.json (rope_theta / rope_scaling at the top level, torch_dtype)."""
    c = {
        "architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
        "bos_token_id": 1, "eos_token_id": spec["eos"], "hidden_act": "silu", "hidden_size": spec["hidden"],
        "initializer_range": 0.02, "intermediate_size": spec["inter"], "max_position_embeddings": 4096,
        "mlp_bias": False, "model_type": "llama", "num_attention_heads": spec["heads"],
        "num_hidden_layers": spec["layers"], "num_key_value_heads": spec["kv"], "pretraining_tp": 1,
        "rms_norm_eps": spec["eps"], "rope_scaling": spec.get("rope_scaling"), "rope_theta": spec["theta"],
        "tie_word_embeddings": spec["tied"], "torch_dtype": dtype_name, "transformers_version": "4.43.3",
        "use_cache": True, "vocab_size": spec["vocab"],
    }
    if spec["head_dim"] is not None:
        c["head_dim"] = spec["head_dim"]
    return c


def build(spec, seed):
    out = os.path.join(ROOT, spec["name"])
    shutil.rmtree(out, ignore_errors=True)
    rope = {"rope_type": "default", "rope_theta": spec["theta"]}
    if spec.get("rope_scaling"):
        rope = dict(spec["rope_scaling"], rope_theta=spec["theta"])
    kwargs = dict(hidden_size=spec["hidden"], intermediate_size=spec["inter"], num_hidden_layers=spec["layers"],
                  num_attention_heads=spec["heads"], num_key_value_heads=spec["kv"], vocab_size=spec["vocab"],
                  max_position_embeddings=4096, rms_norm_eps=spec["eps"], tie_word_embeddings=spec["tied"],
                  bos_token_id=1, eos_token_id=spec["eos"], rope_parameters=rope)
    if spec["head_dim"] is not None:
        kwargs["head_dim"] = spec["head_dim"]
    torch.manual_seed(seed)
    model = LlamaForCausalLM(LlamaConfig(**kwargs)).to(torch.float32)
    randomize(model, seed)
    model = model.to(spec["dtype"])
    save_kwargs = {"max_shard_size": spec["shard"]} if spec.get("shard") else {}
    model.save_pretrained(out, **save_kwargs)
    for extra in ("generation_config.json",):
        p = os.path.join(out, extra)
        if os.path.exists(p):
            os.remove(p)
    dtype_name = {torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16"}[spec["dtype"]]
    if spec["style"] == "4x":
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(config_4x(spec, dtype_name), f, indent=2)
    else:
        with open(os.path.join(out, "config.json")) as f:
            c = json.load(f)
        assert "rope_parameters" in c and "rope_theta" not in c, "expected a transformers 5.x style config"
        c["dtype"] = dtype_name
        c.pop("torch_dtype", None)
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(c, f, indent=2)
    return out


def golden(spec, out, seed):
    # Reload from disk: the reference runs on exactly the stored weights, upcast to fp32.
    model = LlamaForCausalLM.from_pretrained(out, dtype=torch.float32, attn_implementation="eager").eval()
    assert model.config.tie_word_embeddings == spec["tied"]
    g = torch.Generator().manual_seed(seed + 1000)
    vocab = spec["vocab"]
    long = torch.randint(3, vocab, (17,), generator=g).tolist()
    prompts = [
        torch.randint(3, vocab, (5,), generator=g).tolist(),
        long,
        long[:11] + torch.randint(3, vocab, (4,), generator=g).tolist(),  # shares an 11-token prefix with `long`
        [1],
    ]
    eos = spec["eos"]
    eos_list = [] if eos is None else (eos if isinstance(eos, list) else [eos])
    logits, greedy = [], []
    with torch.no_grad():
        for p in prompts:
            ids = torch.tensor([p])
            logits.append(model(ids).logits[0].tolist())
            gen = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=MAX_NEW_TOKENS,
                                 do_sample=False, eos_token_id=eos_list or None,
                                 pad_token_id=(eos_list or [0])[0])
            greedy.append(gen[0, len(p):].tolist())
    return {"versions": VERSIONS, "model": spec["name"], "reference": "transformers fp32, attn_implementation=eager",
            "max_new_tokens": MAX_NEW_TOKENS, "eos_token_ids": eos_list, "prompts": prompts,
            "logits": logits, "greedy": greedy}


def main():
    os.makedirs(ROOT, exist_ok=True)
    torch.set_num_threads(2)
    for i, spec in enumerate(MODELS):
        out = build(spec, seed=1234 + i)
        g = golden(spec, out, seed=1234 + i)
        with open(os.path.join(out, "golden.json"), "w") as f:
            json.dump(g, f, separators=(",", ":"))
        print(spec["name"], "greedy:", g["greedy"])
    with open(os.path.join(ROOT, "versions.json"), "w") as f:
        json.dump(VERSIONS, f, indent=2)


if __name__ == "__main__":
    main()
