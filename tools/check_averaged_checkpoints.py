#!/usr/bin/env python3
"""Checks that checkpoints written by `kasane average` load in the Python safetensors library and in transformers,
and hold the exact averages of tools/make_averaging_fixtures.py. Records the outcome in
Tests/TrajectoryTests/Fixtures/averaging/python_load_check.json (which the Swift tests read).

Rerun after `swift build --product kasane`:  python3 tools/check_averaged_checkpoints.py [path/to/kasane]
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import safetensors
import torch
import transformers
from safetensors import safe_open

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURE = os.path.join(ROOT, "Tests", "TrajectoryTests", "Fixtures", "averaging")


def main():
    kasane = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "kasane")
    with open(os.path.join(FIXTURE, "expected.json"), "rb") as f:
        raw = f.read()
    expected = json.loads(raw)
    results = []
    with tempfile.TemporaryDirectory() as out:
        for window, align, extra in [(3, "trailing", []), (2, "centred", ["--dtype", "f32"])]:
            target = os.path.join(out, f"{window}-{align}")
            subprocess.run([kasane, "average", "--checkpoints", os.path.join(FIXTURE, "run"), "--window", str(window),
                            "--align", align, "--all", "--output", target] + extra, check=True, capture_output=True)
            for case in expected["cases"]:
                if case["window"] != window or case["align"] != align or case["weights"] != "uniform":
                    continue
                folder = os.path.join(target, f"checkpoint-{case['step']}")
                mismatched = []
                with safe_open(os.path.join(folder, "model.safetensors"), "pt") as f:
                    for name in f.keys():
                        t = f.get_tensor(name)
                        if extra:
                            got = t.numpy().ravel().view(np.uint32).tolist()
                            want = case["f32_bits"][name]
                        else:
                            got = t.view(torch.int16).numpy().ravel().view(np.uint16).tolist()
                            want = case["bf16_bits"][name]
                        if got != want:
                            mismatched.append(name)
                model = transformers.AutoModelForCausalLM.from_pretrained(folder)
                state = model.state_dict()
                with safe_open(os.path.join(folder, "model.safetensors"), "pt") as f:
                    transformers_equal = all(torch.equal(state[n].to(f.get_tensor(n).dtype), f.get_tensor(n))
                                             for n in f.keys())
                results.append({"window": window, "align": align, "step": case["step"],
                                "dtype": "F32" if extra else "BF16", "safetensors_loaded": True,
                                "mismatched_tensors": mismatched, "transformers_loaded": True,
                                "transformers_weights_equal": bool(transformers_equal)})
    record = {
        "generator": "tools/check_averaged_checkpoints.py",
        "expected_json_sha256": hashlib.sha256(raw).hexdigest(),
        "versions": {"safetensors": safetensors.__version__, "transformers": transformers.__version__,
                     "torch": torch.__version__, "numpy": np.__version__},
        "note": "the fixture model holds 4 of the LLaMA tensors; transformers initializes the missing ones, and the"
                " comparison covers every tensor in the file",
        "checks": results,
    }
    with open(os.path.join(FIXTURE, "python_load_check.json"), "w") as f:
        json.dump(record, f, indent=1)
    bad = [r for r in results if r["mismatched_tensors"] or not r["transformers_weights_equal"]]
    print(f"{len(results)} checkpoints checked, {len(bad)} with problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
