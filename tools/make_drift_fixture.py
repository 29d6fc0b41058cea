#!/usr/bin/env python3
"""Writes Tests/TrajectoryTests/Fixtures/drift/: four tiny LLaMA-shaped BF16 checkpoints (2 layers, attention, MLP,
norms, embeddings and lm_head; seeded random walk, with one step much larger than the others) and expected.json, the
parameter drift torch computes from them in float64:

  l2 = ||theta_b - theta_a||_2, relative_l2 = l2 / ||theta_a||_2,
  update_cosine = <theta_b - theta_a, theta_a - theta_prev> / (|.| |.|)   (null for the first pair)

for every tensor together, per group (embeddings, attention, mlp, norms, lm_head) and per layer.
Needs: pip install torch safetensors.   Usage: python3 tools/make_drift_fixture.py
"""
import json
import os

import torch
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TrajectoryTests", "Fixtures", "drift")
STEPS = [100, 200, 300, 400]
HIDDEN, FFN, VOCAB, LAYERS = 8, 12, 16, 2


def shapes():
    s = {"model.embed_tokens.weight": [VOCAB, HIDDEN], "model.norm.weight": [HIDDEN], "lm_head.weight": [VOCAB, HIDDEN]}
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        s[p + "input_layernorm.weight"] = [HIDDEN]
        s[p + "post_attention_layernorm.weight"] = [HIDDEN]
        for n in ["q_proj", "k_proj", "v_proj", "o_proj"]:
            s[p + f"self_attn.{n}.weight"] = [HIDDEN, HIDDEN]
        s[p + "mlp.gate_proj.weight"] = [FFN, HIDDEN]
        s[p + "mlp.up_proj.weight"] = [FFN, HIDDEN]
        s[p + "mlp.down_proj.weight"] = [HIDDEN, FFN]
    return s


def group(name):
    if name.endswith("embed_tokens.weight"):
        return "embeddings"
    if name.startswith("lm_head."):
        return "lm_head"
    if "norm" in name:
        return "norms"
    if ".self_attn." in name:
        return "attention"
    if ".mlp." in name:
        return "mlp"
    return "other"


def layer(name):
    return int(name.split(".")[2]) if name.startswith("model.layers.") else None


def main():
    g = torch.Generator().manual_seed(7)
    current = {n: torch.randn(s, generator=g) for n, s in shapes().items()}
    checkpoints = []
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN,
              "intermediate_size": FFN, "num_hidden_layers": LAYERS, "num_attention_heads": 2,
              "num_key_value_heads": 2, "vocab_size": VOCAB, "rms_norm_eps": 1e-5, "tie_word_embeddings": False,
              "max_position_embeddings": 32, "torch_dtype": "bfloat16"}
    for k, step in enumerate(STEPS):
        scale = 0.5 if k == 2 else 0.05
        if k > 0:
            current = {n: t + scale * torch.randn(t.shape, generator=g) for n, t in current.items()}
        stored = {n: t.to(torch.bfloat16).contiguous() for n, t in current.items()}
        folder = os.path.join(ROOT, f"checkpoint-{step}")
        os.makedirs(folder, exist_ok=True)
        save_file(stored, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config, f, indent=2, sort_keys=True)
        checkpoints.append({n: t.to(torch.float64) for n, t in stored.items()})

    def measures(keep):
        out = []
        for p in range(len(STEPS) - 1):
            a, b = checkpoints[p], checkpoints[p + 1]
            names = [n for n in a if keep(n)]
            diff = torch.cat([(b[n] - a[n]).flatten() for n in names])
            base = torch.cat([a[n].flatten() for n in names])
            l2 = diff.norm().item()
            cos = None
            if p > 0:
                prev = torch.cat([(a[n] - checkpoints[p - 1][n]).flatten() for n in names])
                cos = (diff @ prev / (diff.norm() * prev.norm())).item()
            out.append({"l2": l2, "relative_l2": l2 / base.norm().item(), "update_cosine": cos})
        return out

    total = measures(lambda n: True)
    groups = {gname: measures(lambda n, gname=gname: group(n) == gname)
              for gname in sorted({group(n) for n in shapes()})}
    layers = {str(i): measures(lambda n, i=i: layer(n) == i) for i in range(LAYERS)}
    pairs = []
    for p in range(len(STEPS) - 1):
        entry = dict(total[p], from_step=STEPS[p], to_step=STEPS[p + 1])
        entry["groups"] = {k: v[p] for k, v in groups.items()}
        entry["layers"] = {k: v[p] for k, v in layers.items()}
        pairs.append(entry)
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump({"generator": f"tools/make_drift_fixture.py, torch {torch.__version__}, float64", "pairs": pairs},
                  f, indent=2)
    print("wrote", ROOT)


if __name__ == "__main__":
    main()
