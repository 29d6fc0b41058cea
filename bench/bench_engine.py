#!/usr/bin/env python3
"""Engine benchmark driver (run through bench/bench_engine.sh). In one run, on one llm-jp-3-150m-shaped checkpoint:
Kasane (`kasane generate --timing`), transformers/torch fp32 and llama.cpp F32, each with the same thread count,
in --rounds interleaved rounds. Prints a Markdown table of medians with ratios and writes every round's numbers to
.build-bench/engine-results-<checkpoint>.json."""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, ".build-bench")


def run_json(cmd, env=None, stream="stdout"):
    """Runs cmd; returns the last line of stdout/stderr that parses as a JSON object."""
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} ... failed ({p.returncode}): {p.stderr.strip()[-800:]}")
    for line in reversed((p.stdout if stream == "stdout" else p.stderr).splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"{' '.join(cmd[:3])} ... printed no JSON")


def kasane_numbers(kasane, ckpt, prompts, steps, env):
    """Measured as the anchors are: in one process, a warm-up run, then the best of 3 prefills and of 2 decodes per
    batch size (`--runs` reports the fastest; the untimed first run of the anchors is one of the runs here, and a
    cold run is never the fastest)."""
    def gen(ids, new, batch, runs):
        cmd = [kasane, "generate", "--model", ckpt, "--ids", ",".join(map(str, ids)), "--max-new-tokens", str(new),
               "--batch", str(batch), "--ignore-eos", "--timing", "--runs", str(runs)]
        return run_json(cmd, env=env, stream="stderr")
    prefill = [gen(prompts["prefill"], 1, 1, 4)]
    d1 = [gen(prompts["decode"], steps + 1, 1, 3)]
    d8 = [gen(prompts["decode"], steps + 1, 8, 3)]
    return {
        "engine": "kasane generate --timing",
        "prefill_tokens_per_second": max(r["prefill_tokens_per_second"] for r in prefill),
        "decode1_tokens_per_second": max(r["decode_tokens_per_second"] for r in d1),
        "decode8_tokens_per_second": max(r["decode_tokens_per_second"] for r in d8),
        "peak_rss_bytes": max(r.get("peak_rss_bytes", 0) for r in prefill + d1 + d8),
        "parameters": prefill[0].get("parameters"),
        "raw": {"prefill": prefill, "decode1": d1, "decode8": d8},
    }


def median(values):
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def fmt(v):
    return "–" if v is None else f"{v:,.1f}"


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def spread(values):
    v = [x for x in values if x is not None]
    return f" ({min(v):,.1f}–{max(v):,.1f})" if len(v) > 1 else ""


def ensure_prompts(ckpt):
    """prompts.json for checkpoints made by make_random_bf16_llama.py (seeded ids of real tokenizer pieces)."""
    path = os.path.join(ckpt, "prompts.json")
    if not os.path.exists(path):
        import random
        g = random.Random(1)
        json.dump({"prefill": [g.randrange(3, 99574) for _ in range(512)],
                   "decode": [g.randrange(3, 99574) for _ in range(128)]}, open(path, "w"))
    return json.load(open(path))


LLAMACPP_DTYPES = ["F32", "F16"]
KEYS = [("prefill_tokens_per_second", "prefill 512 tok, tokens/s"),
        ("decode1_tokens_per_second", "decode batch 1, tokens/s"),
        ("decode8_tokens_per_second", "decode batch 8, tokens/s")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kasane", default=os.path.join(ROOT, ".build", "release", "kasane"))
    ap.add_argument("--checkpoint", default=os.path.join(BENCH, "llmjp150m"),
                    help="checkpoint folder (default: the 150m-shaped one bench_engine.sh makes)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=5,
                    help="interleaved rounds (Kasane then torch then llama.cpp each round); medians are reported")
    ap.add_argument("--skip", default="", help="comma list of engines to skip: kasane,torch,llamacpp")
    ap.add_argument("--llamacpp-dtypes", default=",".join(LLAMACPP_DTYPES),
                    help="GGUF weight types of the llama.cpp anchors (default F32,F16)")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    ckpt = os.path.abspath(args.checkpoint)
    name = os.path.basename(ckpt.rstrip("/"))
    prompts = ensure_prompts(ckpt)
    config = json.load(open(os.path.join(ckpt, "config.json")))
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads),
               KASANE_THREADS=str(args.threads))
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": platform.processor() or platform.machine(), "threads": args.threads, "steps": args.steps,
               "checkpoint": name, "load_average_start": os.getloadavg(), "rounds": []}
    notes = []
    engines = []
    if "kasane" not in skip:
        if os.access(args.kasane, os.X_OK):
            results["doctor"] = run_json([args.kasane, "doctor", "--json"], env=env)
            engines.append(("kasane", lambda: kasane_numbers(args.kasane, ckpt, prompts, args.steps, env)))
        else:
            notes.append(f"kasane: {args.kasane} not built")
    if "torch" not in skip:
        engines.append(("torch", lambda: run_json([sys.executable, "bench/anchor_torch.py", ckpt, "--steps",
                                                   str(args.steps), "--threads", str(args.threads)], env=env)))
    if "llamacpp" not in skip:
        try:
            import llama_cpp  # noqa: F401
            import gguf  # noqa: F401
            prompts_path = os.path.join(BENCH, f"{name}-prompts.json")
            with open(prompts_path, "w") as f:
                json.dump(prompts, f)
            for dtype in filter(None, args.llamacpp_dtypes.split(",")):
                gguf_path = os.path.join(BENCH, f"{name}-{dtype.lower()}.gguf")
                weights = os.path.join(ckpt, "model.safetensors")
                if not os.path.exists(gguf_path) or os.path.getmtime(gguf_path) < os.path.getmtime(weights):
                    subprocess.run([sys.executable, "bench/make_gguf.py", ckpt, gguf_path, dtype.lower()], cwd=ROOT,
                                   check=True, stdout=subprocess.DEVNULL)
                engines.append((f"llamacpp-{dtype.lower()}", lambda g=gguf_path, d=dtype: run_json(
                    [sys.executable, "bench/anchor_llamacpp.py", g, prompts_path, "--steps", str(args.steps),
                     "--threads", str(args.threads), "--dtype", d], env=env)))
        except ImportError:
            notes.append("llama.cpp: llama-cpp-python or gguf is not installed (pip install gguf llama-cpp-python:"
                         " a from-source build of about 20 minutes on an idle 2-core machine; pip caches the wheel"
                         " outside the repo)")
    # Interleaved: a burst of load on the machine hits every engine alike instead of one engine's whole series.
    for r in range(args.rounds):
        row = {"load_average": os.getloadavg()[0]}
        for engine, measure in engines:
            try:
                row[engine] = measure()
            except RuntimeError as e:
                notes.append(f"{engine} round {r + 1}: {e}")
        results["rounds"].append(row)
        print(f"round {r + 1}/{args.rounds} done (load {row['load_average']:.2f})", file=sys.stderr)
    results["load_average_end"] = os.getloadavg()
    med = {engine: {key: median(row.get(engine, {}).get(key) for row in results["rounds"]) for key, _ in KEYS}
           for engine, _ in engines}
    results["medians"] = med
    with open(os.path.join(BENCH, f"engine-results-{name}.json"), "w") as f:
        json.dump(results, f, indent=1)

    k = med.get("kasane", {})
    loads = [row["load_average"] for row in results["rounds"]]
    print(f"Engine benchmark on {name}, {results['date']}, {args.threads} threads, {args.rounds} interleaved rounds,"
          f" load average {min(loads):.2f}–{max(loads):.2f} at round starts")
    if "doctor" in results:
        d = results["doctor"]
        print(f"CPU {d['cpu']}; OpenBLAS core {d['blas_core']}; sgemm {d['sgemm']['gflops']} GFLOP/s")
    print()
    columns = [("kasane", "Kasane"), ("torch", "torch fp32")] + [(f"llamacpp-{d.lower()}", f"llama.cpp {d}")
                                                                   for d in LLAMACPP_DTYPES]
    anchors = columns[1:]
    print("| measure (median, range) | " + " | ".join(label for _, label in columns) + " | "
          + " | ".join(f"Kasane / {label}" for _, label in anchors) + " |")
    print("|---|" + "---|" * (len(columns) + len(anchors)))
    for key, label in KEYS:
        cells = []
        for e, _ in columns:
            series = [row.get(e, {}).get(key) for row in results["rounds"]]
            cells.append(f"{fmt(med.get(e, {}).get(key))}{spread(series)}")
        cells += [ratio(k.get(key), med.get(e, {}).get(key)) for e, _ in anchors]
        print(f"| {label} | " + " | ".join(cells) + " |")
    kasane_rows = [row["kasane"] for row in results["rounds"] if "kasane" in row]
    if kasane_rows and "doctor" in results and kasane_rows[0].get("parameters"):
        # Prefill FLOPs ≈ 2 · non-embedding parameters · tokens (+ attention, small at 512), lm_head on one row only.
        params = kasane_rows[0]["parameters"]
        vocab, hidden = config["vocab_size"], config["hidden_size"]
        body = params - 2 * vocab * hidden
        gflops = 2 * body * k["prefill_tokens_per_second"] / 1e9
        print(f"\nKasane prefill runs at about {gflops:.1f} GFLOP/s of matrix work "
              f"= {gflops / results['doctor']['sgemm']['gflops'] * 100:.0f}% of the doctor sgemm figure")
        rss = max(r.get("peak_rss_bytes", 0) for r in kasane_rows)
        print(f"Kasane peak RSS {rss / 1e6:,.0f} MB; fp32 weights {params * 4 / 1e6:,.0f} MB "
              f"(ratio {rss / (params * 4):.2f})")
    for n in notes:
        print(f"\nnote: {n}")


if __name__ == "__main__":
    main()
