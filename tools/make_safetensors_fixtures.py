#!/usr/bin/env python3
"""Golden fixtures for Tests/SafeTensorsTests, written by the Python `safetensors` library (through torch).

Writes into Tests/SafeTensorsTests/Fixtures/:
  mixed.safetensors        F32, BF16 and F16 tensors (edge cases for rounding included), metadata {"format": "pt"}
  mixed.json               per tensor: dtype, shape, the fp32 source bits given to torch, and the stored values
                           read back as fp32 bits (torch's own conversion); plus library versions
  sharded/                 the same tensors split over two shards with a model.safetensors.index.json
  python_reads_kasane.json (with --check-kasane) the result of loading, with Python safetensors, the files Kasane's
                           writer produced in the Swift tests (they are copied out when KASANE_FIXTURE_OUT is set)

Usage: python3 tools/make_safetensors_fixtures.py [--check-kasane]
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import safetensors
import torch
from safetensors.torch import load_file, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "SafeTensorsTests", "Fixtures")


def from_bits(bits):
    return torch.from_numpy(np.array(bits, dtype=np.uint32).view(np.float32).copy())


def bits_of(t):
    return [int(b) for b in t.detach().to(torch.float32).contiguous().numpy().view(np.uint32).reshape(-1)]


def source_tensors():
    g = torch.Generator().manual_seed(1234)
    bf16_edges = [0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x00000001,
                  0x80000000, 0x7F800000, 0xFF800000, 0x007FFFFF, 0xBF80C000]
    f16_edges = [0x477FE000, 0x477FEFFF, 0x477FF000, 0xC77FF000, 0x33800000, 0x33C00000, 0x33000000,
                 0x33000001, 0x387FC000, 0x387FF000, 0x38800000, 0x3EAAAAAB, 0x80000000, 0x7F800000, 0x3F801000,
                 0x3F803000]
    specs = {
        "model.layers.0.self_attn.q_proj.weight": ("F32", [3, 4], None),
        "model.norm.weight": ("F32", [5], None),
        "scalar": ("F32", [], None),
        "model.embed_tokens.weight": ("BF16", [4, 6], bf16_edges),
        "lm_head.weight": ("BF16", [3, 5], None),
        "empty": ("BF16", [0, 3], None),
        "model.layers.0.mlp.up_proj.weight": ("F16", [4, 8], f16_edges),
        "b_half": ("F16", [7], None),
    }
    out = {}
    for name, (dtype, shape, edges) in specs.items():
        n = int(np.prod(shape)) if shape else 1
        vals = (torch.randn(n, generator=g) * 0.7).to(torch.float32)
        if edges:
            vals[: len(edges)] = from_bits(edges)
        out[name] = (dtype, shape, vals.reshape(shape))
    return out


TORCH_DTYPE = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def main():
    os.makedirs(os.path.join(OUT, "sharded"), exist_ok=True)
    src = source_tensors()
    stored = {name: vals.to(TORCH_DTYPE[dtype]).contiguous() for name, (dtype, shape, vals) in src.items()}
    save_file(stored, os.path.join(OUT, "mixed.safetensors"), metadata={"format": "pt"})

    names = sorted(stored)
    first, second = names[: len(names) // 2], names[len(names) // 2:]
    shard_names = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    weight_map = {}
    total = 0
    for shard, part in zip(shard_names, [first, second]):
        save_file({n: stored[n] for n in part}, os.path.join(OUT, "sharded", shard), metadata={"format": "pt"})
        for n in part:
            weight_map[n] = shard
            total += stored[n].numel() * stored[n].element_size()
    with open(os.path.join(OUT, "sharded", "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)

    doc = {
        "generator": "tools/make_safetensors_fixtures.py",
        "versions": {"safetensors": safetensors.__version__, "torch": torch.__version__, "numpy": np.__version__},
        "metadata": {"format": "pt"},
        "tensors": {
            name: {"dtype": dtype, "shape": shape, "source_bits": bits_of(vals), "stored_bits": bits_of(stored[name])}
            for name, (dtype, shape, vals) in src.items()
        },
    }
    with open(os.path.join(OUT, "mixed.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print("wrote fixtures into", OUT)

    if "--check-kasane" in sys.argv:
        check_kasane(stored)


def check_kasane(stored):
    """Runs the Swift writer tests, which copy the files they wrote to KASANE_FIXTURE_OUT, and loads them here."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, KASANE_FIXTURE_OUT=tmp)
        subprocess.run(["swift", "build", "--build-tests"], cwd=ROOT, check=True)
        subprocess.run(["swift", "test", "--skip-build", "--filter", "writerMatchesPythonLibraryByteForByte"], cwd=ROOT, env=env, check=True)
        path = os.path.join(tmp, "kasane-mixed.safetensors")
        loaded = load_file(path)
        with open(path, "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(n))
        problems = []
        if set(loaded) != set(stored):
            problems.append(f"tensor names differ: {sorted(set(loaded) ^ set(stored))}")
        for name, t in stored.items():
            if name not in loaded:
                continue
            u = loaded[name]
            if u.dtype != t.dtype or list(u.shape) != list(t.shape):
                problems.append(f"{name}: {u.dtype}{list(u.shape)} != {t.dtype}{list(t.shape)}")
            elif u.numpy().tobytes() != t.numpy().tobytes() if t.dtype == torch.float32 else u.view(torch.int16).numpy().tobytes() != t.view(torch.int16).numpy().tobytes():
                problems.append(f"{name}: values differ")
        with open(os.path.join(OUT, "mixed.safetensors"), "rb") as f:
            identical = f.read() == open(path, "rb").read()
        result = {
            "loader": f"safetensors.torch.load_file (safetensors {safetensors.__version__}, torch {torch.__version__})",
            "file": "kasane-mixed.safetensors written by SafeTensorsWriter from the source_bits of mixed.json",
            "loaded": not problems,
            "problems": problems,
            "metadata": header.get("__metadata__"),
            "byte_identical_to_mixed.safetensors": identical,
        }
    with open(os.path.join(OUT, "python_reads_kasane.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
