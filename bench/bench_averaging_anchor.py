#!/usr/bin/env python3
"""Anchor for `kasane average`: the same trailing uniform averages with torch + safetensors, streaming tensor by
tensor with float64 accumulation (the straightforward Python way), written as bf16 safetensors."""
import os
import sys
import time

import torch
from safetensors import safe_open
from safetensors.torch import save_file


def main():
    run, window, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    folders = sorted((d for d in os.listdir(run) if d.startswith("checkpoint-")), key=lambda d: int(d.split("-")[1]))
    start = time.time()
    for t in range(window - 1, len(folders)):
        members = [os.path.join(run, folders[j], "model.safetensors") for j in range(t - window + 1, t + 1)]
        handles = [safe_open(m, "pt") for m in members]
        result = {}
        for name in handles[0].keys():
            acc = None
            for h in handles:
                x = h.get_tensor(name).to(torch.float64)
                acc = x if acc is None else acc + x
            result[name] = (acc / window).to(torch.bfloat16)
        os.makedirs(os.path.join(out, folders[t]), exist_ok=True)
        save_file(result, os.path.join(out, folders[t], "model.safetensors"), metadata={"format": "pt"})
    print(f"anchor: {len(folders) - window + 1} models in {time.time() - start:.1f} s (torch {torch.__version__})")


if __name__ == "__main__":
    main()
