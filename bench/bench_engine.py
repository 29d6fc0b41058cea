#!/usr/bin/env python3
"""Engine benchmark driver (run through bench/bench_engine.sh). In one run, on one llm-jp-3-150m-shaped checkpoint:
Kasane (`kasane generate --timing`), transformers/torch fp32 and llama.cpp F32, each with the same thread count.
Prints a Markdown table with ratios and writes the raw numbers to .build-bench/engine-results.json."""
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


def kasane_numbers(kasane, ckpt, prompts, steps, env, repeats):
    def gen(ids, new, batch):
        cmd = [kasane, "generate", "--model", ckpt, "--ids", ",".join(map(str, ids)), "--max-new-tokens", str(new),
               "--batch", str(batch), "--ignore-eos", "--timing"]
        return run_json(cmd, env=env, stream="stderr")
    prefill = [gen(prompts["prefill"], 1, 1) for _ in range(repeats)]
    d1 = [gen(prompts["decode"], steps + 1, 1) for _ in range(repeats)]
    d8 = [gen(prompts["decode"], steps + 1, 8) for _ in range(repeats)]
    return {
        "engine": "kasane generate --timing",
        "prefill_tokens_per_second": max(r["prefill_tokens_per_second"] for r in prefill),
        "decode1_tokens_per_second": max(r["decode_tokens_per_second"] for r in d1),
        "decode8_tokens_per_second": max(r["decode_tokens_per_second"] for r in d8),
        "peak_rss_bytes": max(r.get("peak_rss_bytes", 0) for r in prefill + d1 + d8),
        "parameters": prefill[0].get("parameters"),
        "raw": {"prefill": prefill, "decode1": d1, "decode8": d8},
    }


def fmt(v):
    return "–" if v is None else f"{v:,.1f}"


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kasane", default=os.path.join(ROOT, ".build", "release", "kasane"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma list of engines to skip: kasane,torch,llamacpp")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    ckpt = os.path.join(BENCH, "llmjp150m")
    gguf_path = os.path.join(BENCH, "llmjp150m-f32.gguf")
    prompts = json.load(open(os.path.join(ckpt, "prompts.json")))
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads),
               KASANE_THREADS=str(args.threads))
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": platform.processor() or platform.machine(), "threads": args.threads, "steps": args.steps,
               "load_average": os.getloadavg()}
    notes = []

    if "kasane" not in skip and os.access(args.kasane, os.X_OK):
        results["doctor"] = run_json([args.kasane, "doctor", "--json"], env=env)
        try:
            results["kasane"] = kasane_numbers(args.kasane, ckpt, prompts, args.steps, env, args.repeats)
        except RuntimeError as e:
            notes.append(f"kasane: {e}")
    elif "kasane" not in skip:
        notes.append(f"kasane: {args.kasane} not built")
    if "torch" not in skip:
        results["torch"] = run_json([sys.executable, "bench/anchor_torch.py", ckpt, "--steps", str(args.steps),
                                     "--threads", str(args.threads)], env=env)
    if "llamacpp" not in skip:
        try:
            import llama_cpp  # noqa: F401
            subprocess.run([sys.executable, "bench/make_gguf.py", ckpt, gguf_path], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
            results["llamacpp"] = run_json([sys.executable, "bench/anchor_llamacpp.py", gguf_path,
                                            os.path.join(ckpt, "prompts.json"), "--steps", str(args.steps),
                                            "--threads", str(args.threads)], env=env)
        except ImportError:
            notes.append("llama.cpp: llama-cpp-python is not installed (pip install llama-cpp-python)")
        except RuntimeError as e:
            notes.append(f"llama.cpp: {e}")

    with open(os.path.join(BENCH, "engine-results.json"), "w") as f:
        json.dump(results, f, indent=1)

    k, t, l = results.get("kasane", {}), results.get("torch", {}), results.get("llamacpp", {})
    print(f"Engine benchmark, {results['date']}, {args.threads} threads, load average {results['load_average'][0]:.1f}")
    if "doctor" in results:
        d = results["doctor"]
        print(f"CPU {d['cpu']}; OpenBLAS core {d['blas_core']}; sgemm {d['sgemm']['gflops']} GFLOP/s")
    print()
    print("| measure | Kasane | torch fp32 | llama.cpp F32 | Kasane / torch | Kasane / llama.cpp |")
    print("|---|---|---|---|---|---|")
    for key, label in [("prefill_tokens_per_second", "prefill 512 tok, tokens/s"),
                       ("decode1_tokens_per_second", "decode batch 1, tokens/s"),
                       ("decode8_tokens_per_second", "decode batch 8, tokens/s")]:
        kv, tv, lv = k.get(key), t.get(key), l.get(key)
        print(f"| {label} | {fmt(kv)} | {fmt(tv)} | {fmt(lv)} | {ratio(kv, tv)} | {ratio(kv, lv)} |")
    if k and "doctor" in results and k.get("parameters"):
        # Prefill FLOPs ≈ 2 · non-embedding parameters · tokens (+ attention, small at 512), lm_head on one row only.
        params = k["parameters"]
        vocab, hidden = 99584, 512
        body = params - 2 * vocab * hidden
        gflops = 2 * body * k["prefill_tokens_per_second"] / 1e9
        print(f"\nKasane prefill runs at about {gflops:.1f} GFLOP/s of matrix work "
              f"= {gflops / results['doctor']['sgemm']['gflops'] * 100:.0f}% of the doctor sgemm figure")
        fp32_bytes = params * 4
        print(f"Kasane peak RSS {k['peak_rss_bytes'] / 1e6:,.0f} MB; fp32 weights {fp32_bytes / 1e6:,.0f} MB "
              f"(ratio {k['peak_rss_bytes'] / fp32_bytes:.2f})")
    for n in notes:
        print(f"\nnote: {n}")


if __name__ == "__main__":
    main()
