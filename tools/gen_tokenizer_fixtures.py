#!/usr/bin/env python3
"""Golden fixtures for Kasane's regex engine, normalizers and pre-tokenizers, computed by the Hugging Face
tokenizers library (Oniguruma inside). Rerun: python3 tools/gen_tokenizer_fixtures.py
Writes Tests/TokenizersTests/Fixtures/components.json."""
import json, os
import tokenizers
from tokenizers import Regex, normalizers as N, pre_tokenizers as P

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
PATTERNS = [r"(?<!\n)^", r"^", r"$", r"(?<!\n)^ ", r"\s+(?!\S)", r"(?i:'s|'t|'re)", r"\p{N}{1,3}", r"[^\s\p{L}\p{N}]+",
            r"\w+", r".", r"a|ab", r"a+?", r"\S+", r"(?=b)", r"(?<=a)b", r"[a-c]{2,}", r"\d+", r"[\p{Lu}\p{Lt}]+",
            r"x*", r"\bfoo\b", r"(?i)abc", r"[^a-z\s]", r"\A.", r".\z", "▁", r"\u3000+", GPT2, LLAMA3]
TEXTS = ["", "a", "Hello, World!  Multiple   spaces.", " lead\n\nnext\r\nline\rcr", "I'M here, it's 'S ſ",
         "12345 3.14159 ①②③ ¹²", "日本語のテキスト　全角スペース", "tab\there\u2028ls\u2029ps\u0085nel\u00a0nbsp",
         "é é 👨\u200d👩\u200d👧 🤗", "aab abc ABC aBc foo foobar foo.", "  \n  x  \n", "ab\nab\n", "x\u200bzero",
         "def f(x):\n    return x ** 2\n", "ＡＢＣ１２３ｶﾀｶﾅ", "\x01\x02control\x7f"]

out = {"tokenizers_version": tokenizers.__version__, "replace": [], "normalizers": [], "pre_tokenizers": []}
for p in PATTERNS:
    r = N.Replace(Regex(p), "<>")
    out["replace"].append({"pattern": p, "cases": [[t, r.normalize_str(t)] for t in TEXTS]})

norms = [N.NFC(), N.NFD(), N.NFKC(), N.NFKD(), N.Lowercase(), N.Strip(), N.Strip(left=True, right=False),
         N.Prepend("▁"), N.Replace(" ", "▁"), N.Sequence([N.NFKC(), N.Lowercase()])]
for n in norms:
    out["normalizers"].append({"json": json.loads(n.__getstate__()), "cases": [[t, n.normalize_str(t)] for t in TEXTS]})

pts = [P.Metaspace(), P.Metaspace(prepend_scheme="first"), P.Metaspace(prepend_scheme="never", split=False),
       P.ByteLevel(add_prefix_space=False), P.ByteLevel(add_prefix_space=True, use_regex=True),
       P.Split(Regex(LLAMA3), "isolated"), P.Split(Regex(r"\s+"), "removed"), P.Split(" ", "merged_with_previous"),
       P.Split(Regex(r"\d"), "merged_with_next"), P.Split(Regex(r"\p{L}+"), "contiguous", invert=True),
       P.Digits(individual_digits=True), P.Digits(individual_digits=False), P.Whitespace(), P.WhitespaceSplit(),
       P.Sequence([P.Split(Regex(LLAMA3), "isolated"), P.ByteLevel(add_prefix_space=False, use_regex=False)])]
for pt in pts:
    out["pre_tokenizers"].append({"json": json.loads(pt.__getstate__()),
                                  "cases": [[t, [s for s, _ in pt.pre_tokenize_str(t)]] for t in TEXTS]})

path = os.path.join(os.path.dirname(__file__), "..", "Tests/TokenizersTests/Fixtures/components.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=0)
print("wrote", path)
