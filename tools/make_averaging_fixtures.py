#!/usr/bin/env python3
"""Golden fixtures for checkpoint averaging (Tests/TrajectoryTests/Fixtures/averaging/).

Writes five tiny LLaMA-shaped checkpoints (bf16 safetensors + config.json + tokenizer files) and the expected
averages for several windows, alignments and weights, computed exactly with rational arithmetic
(fractions.Fraction) and rounded once, to nearest with ties to even, to bf16 and to f32.

Rerun: python3 tools/make_averaging_fixtures.py
"""
import json
import math
import os
from fractions import Fraction
import shutil

import numpy as np
import safetensors
import torch
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TrajectoryTests", "Fixtures",
                    "averaging")
STEPS = [10, 20, 30, 40, 50]
SHAPES = {"lm_head.weight": (6, 4), "model.embed_tokens.weight": (6, 4), "model.norm.weight": (4,),
          "model.layers.0.mlp.down_proj.weight": (4, 3)}
CONFIG = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4, "intermediate_size": 3,
          "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 2, "vocab_size": 6,
          "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": False,
          "max_position_embeddings": 16, "torch_dtype": "bfloat16"}


def f64_to_bf16_bits(x):
    """Round float64 to bfloat16 with round-to-nearest-even in one step, on the float64 bit pattern."""
    x = np.asarray(x, dtype=np.float64)
    assert np.all(np.isfinite(x)) and np.all((x == 0) | (np.abs(x) > 2.0 ** -120)), "keep values normal in bf16"
    bits = x.view(np.uint64)
    drop = 52 - 7
    lsb = (bits >> np.uint64(drop)) & np.uint64(1)
    rounded = (bits + np.uint64((1 << (drop - 1)) - 1) + lsb) >> np.uint64(drop)
    sign = (rounded >> np.uint64(63 - drop)) & np.uint64(1)
    exp64 = (rounded >> np.uint64(7)) & np.uint64(0x7FF)
    mant = rounded & np.uint64(0x7F)
    exp32 = np.where(exp64 == 0, 0, exp64.astype(np.int64) - 1023 + 127).astype(np.uint64)
    return ((sign << np.uint64(15)) | (exp32 << np.uint64(7)) | mant).astype(np.uint16)


def round_exact(x, bits):
    """Round a Fraction to the nearest binary float with `bits` significant bits, ties to even; returns a float
    (exact: the result has at most 24 significant bits and a normal exponent)."""
    if x == 0:
        return 0.0
    sign = -1 if x < 0 else 1
    x = abs(x)
    e = math.floor(math.log2(x.numerator) - math.log2(x.denominator))
    while Fraction(2) ** e > x:
        e -= 1
    while Fraction(2) ** (e + 1) <= x:
        e += 1
    scaled = x * Fraction(2) ** (bits - 1 - e)
    m = math.floor(scaled)
    rest = scaled - m
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and m % 2 == 1):
        m += 1
    return sign * float(Fraction(m) * Fraction(2) ** (e - bits + 1))


def bf16_bits_to_f64(bits):
    return (np.asarray(bits, dtype=np.uint32) << 16).view(np.float32).astype(np.float64)


def windows(n, align, m):
    before, after = (n - 1, 0) if align == "trailing" else ((n) // 2, (n - 1) // 2)
    return {t: list(range(t - before, t + after + 1)) for t in range(m) if t - before >= 0 and t + after < m}


def weights(kind, count):
    if kind == "uniform":
        w = [Fraction(1)] * count
    elif kind == "linear":
        w = [Fraction(j + 1) for j in range(count)]
    else:
        alpha = Fraction(kind.split(":")[1])
        w = [alpha * (1 - alpha) ** (count - 1 - j) for j in range(count)]
    total = sum(w)
    return [v / total for v in w]


def main():
    rng = np.random.default_rng(20251006)
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    checkpoints = []
    drift = {name: rng.normal(0, 0.5, shape) for name, shape in SHAPES.items()}
    for k, step in enumerate(STEPS):
        tensors = {}
        for name, shape in SHAPES.items():
            values = drift[name] * (1 + 0.1 * k) + rng.normal(0, 0.05, shape)
            if name == "model.norm.weight":
                values = 1 + values * 0.01
            tensors[name] = f64_to_bf16_bits(values.ravel()).reshape(shape)
        checkpoints.append(tensors)
        folder = os.path.join(ROOT, "run", f"checkpoint-{step}")
        os.makedirs(folder)
        save_file({n: torch.from_numpy(b.view(np.int16)).view(torch.bfloat16) for n, b in tensors.items()},
                  os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(CONFIG, f, indent=2)
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 16}, f)

    cases = []
    for n, align, kind in [(1, "trailing", "uniform"), (3, "trailing", "uniform"), (2, "centred", "uniform"),
                           (3, "centred", "uniform"), (4, "centred", "uniform"), (5, "trailing", "uniform"),
                           (3, "trailing", "linear"), (3, "trailing", "ema:0.5")]:
        for t, members in windows(n, align, len(STEPS)).items():
            w = weights(kind, len(members))
            expected_bf16, expected_f32 = {}, {}
            for name in SHAPES:
                # The exact weighted mean as a rational number, then one correct rounding per output dtype.
                acc = [Fraction(0)] * int(np.prod(SHAPES[name]))
                for wj, j in zip(w, members):
                    member = bf16_bits_to_f64(checkpoints[j][name].ravel())
                    acc = [a + wj * Fraction(float(v)) for a, v in zip(acc, member)]
                bf16 = np.array([round_exact(a, 8) for a in acc])
                f32 = np.array([round_exact(a, 24) for a in acc])
                expected_bf16[name] = [int(v) for v in f64_to_bf16_bits(bf16)]
                expected_f32[name] = [int(v) for v in f32.astype(np.float32).view(np.uint32)]
            cases.append({"window": n, "align": align, "weights": kind, "step": STEPS[t],
                          "members": [STEPS[j] for j in members], "bf16_bits": expected_bf16,
                          "f32_bits": expected_f32})
    fixture = {
        "generator": "tools/make_averaging_fixtures.py",
        "versions": {"numpy": np.__version__, "torch": torch.__version__, "safetensors": safetensors.__version__},
        "steps": STEPS,
        "shapes": {n: list(s) for n, s in SHAPES.items()},
        "inputs_bf16_bits": [{n: [int(v) for v in t[n].ravel()] for n in SHAPES} for t in checkpoints],
        "cases": cases,
    }
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump(fixture, f)
    print(f"wrote {len(cases)} cases to {ROOT}")


if __name__ == "__main__":
    main()
