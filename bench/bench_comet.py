#!/usr/bin/env python3
"""unbabel-comet's side of bench/bench_comet.sh: builds a random COMET model in the wmt22 architecture (sizes
from the command line, the fixture's tokenizer) and times `model.predict` on CPU over the fixture triples
repeated. Prints one JSON line.

    python3 bench/bench_comet.py --out /tmp/kasane-comet-bench --hidden 384 --layers 6 --repeat 20
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import make_comet_fixture as fixture  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--hidden", type=int, default=384)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--build", action="store_true", help="(re)build the model folder first")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    out = os.path.abspath(args.out)
    if args.build or not os.path.exists(os.path.join(out, "checkpoints", "model.ckpt")):
        fixture.build_model(out, hidden=args.hidden, layers=args.layers, heads=args.heads,
                            intermediate=4 * args.hidden, max_positions=514, head_sizes=[3072, 1024])
    os.chdir(out)
    from comet.models import load_from_checkpoint
    t0 = time.perf_counter()
    model = load_from_checkpoint("checkpoints/model.ckpt")
    load = time.perf_counter() - t0
    # Distinct texts per repetition (a counter suffix) so that neither side can reuse cached embeddings.
    data = [{"src": f"{s} {i}", "mt": f"{m} {i}", "ref": f"{r} {i}"} for i in range(args.repeat) for s, m, r in fixture.TRIPLES]
    t0, cpu0 = time.perf_counter(), time.process_time()
    result = model.predict(data, batch_size=16, gpus=0, progress_bar=False)
    score, cpu = time.perf_counter() - t0, time.process_time() - cpu0  # CPU: every thread of this process
    print(json.dumps({"impl": "unbabel-comet", "segments": len(data), "load_s": round(load, 3),
                      "score_s": round(score, 3), "score_cpu_s": round(cpu, 3), "system": result.system_score}))


if __name__ == "__main__":
    main()
