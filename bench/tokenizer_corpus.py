#!/usr/bin/env python3
"""Writes the JGLUE benchmark texts as JSON Lines ({"text": ...} per line).

Sources (all JGLUE): the Japanese texts of ../shared/reference/tokenizers/llm-jp-v3/cases.jsonl (JNLI,
JCommonsenseQA, JSTS sentences) and the inputs of the JGLUE datasets in ../shared/evalsets-real
(jnli, jsts, jcommonsenseqa, jsquad; all splits)."""
import json, os, re, sys

shared = sys.argv[1]
out = sys.argv[2]
japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
texts = []
with open(os.path.join(shared, "reference/tokenizers/llm-jp-v3/cases.jsonl"), encoding="utf-8") as f:
    for line in f:
        t = json.loads(line)["text"]
        if japanese.search(t):
            texts.append(t)
root = os.path.join(shared, "evalsets-real/1.4.1/evaluation")
for split in ("train", "dev", "test"):
    for name in ("jnli", "jsts", "jcommonsenseqa", "jsquad"):
        path = os.path.join(root, split, name + ".json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            texts.extend(s["input"] for s in data["samples"])
with open(out, "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
print(f"{len(texts)} texts, {sum(len(t.encode()) for t in texts)} bytes", file=sys.stderr)
