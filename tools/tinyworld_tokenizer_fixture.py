"""Golden encodings of the tiny-world tokenizer by Hugging Face tokenizers.

    swift build --product kasane && .build/debug/kasane world --output /tmp/tw && \
        python3 tools/tinyworld_tokenizer_fixture.py /tmp/tw

Copies /tmp/tw/tokenizer/tokenizer.json to Tests/TinyWorldTests/Fixtures/ and writes hf_encodings.jsonl: for a
deterministic selection of corpus documents, evalset items and edge cases, the ids that
`tokenizers.Tokenizer.encode(text, add_special_tokens=True)` gives.
"""
import json, os, shutil, sys
import tokenizers
from tokenizers import Tokenizer

src = sys.argv[1]
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "TinyWorldTests", "Fixtures")
os.makedirs(out, exist_ok=True)
shutil.copyfile(os.path.join(src, "tokenizer", "tokenizer.json"), os.path.join(out, "tokenizer.json"))
tok = Tokenizer.from_file(os.path.join(out, "tokenizer.json"))
docs = [json.loads(l)["text"] for l in open(os.path.join(src, "corpus.jsonl"), encoding="utf-8")]
texts = docs[::500]
for name in ["tinyworld_nli", "tinyworld_mt", "tinyworld_fa", "tinyworld_mr"]:
    data = json.load(open(os.path.join(src, "evaluation", "dev", name + ".json"), encoding="utf-8"))
    texts += [s["input"] for s in data["samples"][:3]] + [s["output"] for s in data["samples"][:2]]
texts += ["  two  spaces", "\nleading newline", "絵文字😀と未知の字", "tab\tand\r\nCRLF", "<s>literal special</s>",
          "Hello world", "12345 + 678"]
with open(os.path.join(out, "hf_encodings.jsonl"), "w", encoding="utf-8") as f:
    f.write(json.dumps({"text": "tokenizers " + tokenizers.__version__, "ids": tok.encode("tokenizers " + tokenizers.__version__).ids}, ensure_ascii=False) + "\n")
    for t in texts:
        f.write(json.dumps({"text": t, "ids": tok.encode(t, add_special_tokens=True).ids}, ensure_ascii=False) + "\n")
print(len(texts) + 1, "encodings, tokenizers", tokenizers.__version__)
