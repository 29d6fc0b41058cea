#!/usr/bin/env python3
"""Load a checkpoint written by Kasane's trainer in Hugging Face transformers and compare its logits with the
trainer's own forward pass.

Default (no arguments), run from anywhere inside the repository:
  1. regenerates Tests/TinyWorldTests/Fixtures/trained-checkpoint/ (checkpoint-40/ and trainer_logits.json) by running
     the opt-in Swift test `writeFixtureCheckpoint` (KASANE_WRITE_TRAINER_FIXTURE=1 swift test ...),
  2. loads checkpoint-40 with transformers (LlamaForCausalLM, float32, eager attention), computes logits for the
     tokens in trainer_logits.json,
  3. writes hf_check.json there: versions, tokens, transformers' logits, max |difference| to the trainer's, pass/fail.

The Swift tests then check that hf_check.json reports a pass and compare the trainer's forward on the committed
checkpoint with transformers' logits directly.

  --no-regenerate      reuse the checkpoint and trainer_logits.json already in the fixture folder
  --checkpoint DIR --trainer-logits FILE --out FILE   check any checkpoint against a logits dump
"""
import argparse
import json
import os
import platform
import subprocess
import sys

TOLERANCE = 1e-3


def repo_root():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.dirname(here)


def regenerate(root):
    env = dict(os.environ, KASANE_WRITE_TRAINER_FIXTURE="1")
    subprocess.run(["swift", "build", "--build-tests"], cwd=root, check=True)
    subprocess.run(["swift", "test", "--skip-build", "--filter", "CheckpointFixtureTests/writeFixtureCheckpoint"],
                   cwd=root, env=env, check=True)


def check(checkpoint, trainer_logits_path, out_path):
    import numpy as np
    import torch
    import transformers
    from transformers import AutoModelForCausalLM

    with open(trainer_logits_path) as f:
        dump = json.load(f)
    tokens = dump["tokens"]
    vocab = dump["vocab_size"]
    ours = np.array(dump["logits"], dtype=np.float64).reshape(len(tokens), vocab)

    model = AutoModelForCausalLM.from_pretrained(checkpoint, torch_dtype=torch.float32, attn_implementation="eager")
    model.eval()
    with torch.no_grad():
        hf = model(torch.tensor([tokens])).logits[0].float().numpy().astype(np.float64)
    diff = float(np.max(np.abs(hf - ours)))
    result = {
        "checkpoint": os.path.relpath(checkpoint, os.path.dirname(out_path)),
        "model_class": type(model).__name__,
        "dtype": "float32 (weights stored as bfloat16)",
        "attn_implementation": "eager",
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "tokens": tokens,
        "hf_logits": [[float(f"{v:.7g}") for v in row] for row in hf.tolist()],
        "max_abs_diff": diff,
        "tolerance": TOLERANCE,
        "argmax_equal": bool((hf.argmax(-1) == ours.argmax(-1)).all()),
        "pass": diff < TOLERANCE,
    }
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"transformers {transformers.__version__}, torch {torch.__version__}: max |logit diff| = {diff:.3g} "
          f"({'pass' if result['pass'] else 'FAIL'}, tolerance {TOLERANCE})")
    return result["pass"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-regenerate", action="store_true")
    parser.add_argument("--checkpoint")
    parser.add_argument("--trainer-logits")
    parser.add_argument("--out")
    args = parser.parse_args()
    root = repo_root()
    fixture = os.path.join(root, "Tests", "TinyWorldTests", "Fixtures", "trained-checkpoint")
    if args.checkpoint:
        ok = check(args.checkpoint, args.trainer_logits, args.out or "hf_check.json")
    else:
        if not args.no_regenerate:
            regenerate(root)
        ok = check(os.path.join(fixture, "checkpoint-40"), os.path.join(fixture, "trainer_logits.json"),
                   os.path.join(fixture, "hf_check.json"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
