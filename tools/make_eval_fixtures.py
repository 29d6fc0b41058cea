#!/usr/bin/env python3
"""Golden fixtures for the Evaluation target (llm-jp-eval v1.4.1 prompts, post-processing and metrics).

Every value comes from the reference libraries (fuzzywuzzy + python-Levenshtein, rapidfuzz, sacrebleu, scipy) or
from the llm-jp-eval v1.3.0/v1.4.1 formulas quoted in ../shared/specs/llm-jp-eval.md, never from Kasane.
Rerun:  python3 tools/make_eval_fixtures.py   (writes Tests/EvaluationTests/Fixtures/*.json)
"""
import json
import math
import os
import random
import re
import unicodedata

import fuzzywuzzy
import Levenshtein
import rapidfuzz
import sacrebleu
import scipy
from fuzzywuzzy import fuzz
from rapidfuzz import fuzz as rfuzz
from rapidfuzz import utils as rutils
from sacrebleu.metrics import BLEU
from scipy.stats import pearsonr, spearmanr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "EvaluationTests", "Fixtures")


def shared_dir():
    # CI lays shared/ beside the clone; a worktree under /work/wt/<name> finds it one level further up.
    d = ROOT
    while True:
        d = os.path.dirname(d)
        if os.path.isdir(os.path.join(d, "shared", "evalsets-real")):
            return os.path.join(d, "shared")
        if d == os.path.dirname(d):
            raise SystemExit("shared/evalsets-real not found beside the repository")


EVALSETS = os.path.join(shared_dir(), "evalsets-real", "1.4.1", "evaluation")
VERSIONS = {
    "fuzzywuzzy": fuzzywuzzy.__version__, "python-Levenshtein": Levenshtein.__version__,
    "rapidfuzz": rapidfuzz.__version__, "sacrebleu": sacrebleu.__version__, "scipy": scipy.__version__,
    "unicodedata": unicodedata.unidata_version,
}


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump({"versions": VERSIONS, **obj}, f, ensure_ascii=False, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- llm-jp-eval formulas (spec §5, §8)

def normalize(s, strip):
    s = unicodedata.normalize("NFKC", s)
    return s.strip() if strip else s


def prediction_of(generated, strip):
    return normalize(generated.split("\n\n")[0], strip)


def char_f1(pred, gold):
    return fuzz.token_sort_ratio(pred, gold) / 100.0


def set_f1(pred, gold):
    p = list({x.strip() for x in pred.split("\n")})
    t = [x.strip() for x in gold.split("\n")]
    matched = sum(1 for x in p if x in t)
    precision = matched / len(p)
    recall = matched / len(t)
    return 2 * precision * recall / (precision + recall) if precision + recall != 0 else 0.0


def parse_float(s):
    cleaned = re.sub(r"[^0-9.]", "", str(s))
    try:
        return float(cleaned)
    except ValueError:
        return -2.0


def correlations(preds, golds):
    g = list(map(float, golds))
    p = list(map(parse_float, preds))
    pr = pearsonr(g, p)[0]
    sr = spearmanr(g, p)[0]
    return (0.0 if math.isnan(pr) else float(pr)), (0.0 if math.isnan(sr) else float(sr))


def bleu_compat(pred, gold, tokenize):
    # v1.4.1 passes strings where sacrebleu expects lists: character k of pred vs character k of gold.
    # An empty prediction (or gold) raises IndexError inside sacrebleu; Kasane scores it 0.
    if pred == "" or gold == "":
        return 0.0
    return BLEU(tokenize=tokenize, effective_order=True).corpus_score(pred, [gold]).score


# ---------------------------------------------------------------- char_f1

def char_f1_cases():
    spec = [("東京都", "東京"), ("ダイ・ハード", "ダイハード"), ("a b c", "c b a"), ("Hello, World!", "world hello"),
            ("café", "cafe"), ("×2", "2"), ("a", "abcdefghijklmno"), ("", "abc"), ("", ""), ("__x", "x")]
    extra = [("大阪方面", "大阪"), ("大阪 方面", "方面 大阪"), ("ＡＢＣ", "abc"), ("ｶﾀｶﾅ", "カタカナ"),
             ("東京　タワー", "東京タワー"), ("二〇二四年", "2024年"), ("½ cup", "1/2 cup"), ("Ǆemal", "ǆemal"),
             ("İstanbul", "istanbul"), ("naïve café", "naive cafe"), ("à", "a"), ("ΣΑΣ", "σας"),
             ("क्षत्रिय", "क्षत्रिय"), ("e\u0301", "é"), ("x\u200by", "xy"), ("１２３", "123"), ("3.14", "3 14"),
             ("ー", "-"), ("〜", "~"), ("①", "1"), ("Ⅻ", "XII"), ("٣", "3"), ("YES", "yes"), ("NO", "YES"),
             ("\t a\n", "a"), ("a\u3000b", "b a"), ("😀x", "x"), ("ab", "ba"), ("abcd", "abdc"),
             ("ゴールデンウィーク", "ゴールデン・ウィーク"), ("", " "), (" ", ""),
             # Levenshtein.ratio is 1 - dist/lensum: 0.025000000000000022 * 100 rounds to 3, not to 2
             ("a", "a" + "x" * 78), ("ab", "ab" + "y" * 156), ("あ" * 3, "あ" * 3 + "い" * 77)]
    rng = random.Random(7)
    alphabet = list("あいうえおかきくけこ東京大阪ー・、。 abcAB_1２!?é×\u3000")
    for _ in range(60):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        extra.append((a, b))
    cases = []
    for pred, gold in spec + extra:
        v = char_f1(pred, gold)
        # rapidfuzz with its own processor agrees on these (checked, not stored as the reference)
        cases.append({"pred": pred, "gold": gold, "char_f1": v})
    return cases


# ---------------------------------------------------------------- set_f1

def set_f1_cases():
    pairs = [("A positive\nB negative", "A positive\nB negative"), ("A positive", "A positive\nB negative"),
             ("A positive\nA positive\nC neutral", "A positive\nB negative"), ("", "A positive"),
             ("", ""), ("トヨタ positive\n 日産 negative ", "日産 negative\nトヨタ positive"),
             ("a\n\nb", "a\nb\n"), ("x -> y\nz -> w", "x -> y\nx -> y"), ("a\u3000\nb", "a\nb"),
             ("東京（地名） 大阪（地名）", "東京（地名） 大阪（地名）"), ("a\r\nb", "a\nb")]
    return [{"pred": p, "gold": g, "set_f1": set_f1(p, g)} for p, g in pairs]


# ---------------------------------------------------------------- parse_float / correlations

def correlation_cases():
    floats = ["3.4", "-1", "1.2.3", "", "abc", "4点", "２.５", ".5", "5.", ".", "0", "1e3", "５"]
    parse = [{"text": s, "value": parse_float(s)} for s in floats]
    rng = random.Random(11)
    sets = []
    golds = [f"{rng.randint(0, 50) / 10:.1f}" for _ in range(40)]
    preds = [rng.choice(["0", "1", "2", "3", "4", "5", "3.5", "2.8", "x", "", "4.0", "-1"]) for _ in golds]
    sets.append({"golds": golds, "preds": preds})
    sets.append({"golds": ["1.0", "2.0", "3.0"], "preds": ["3", "3", "3"]})      # constant -> NaN -> 0
    sets.append({"golds": ["1.0", "2.0", "3.0", "4.0"], "preds": ["1", "3", "2", "4"]})
    sets.append({"golds": ["5.0", "1.2", "3.3", "3.3", "0.0"], "preds": ["4", "1", "3", "3", "1"]})  # ties
    for s in sets:
        s["pearson"], s["spearman"] = correlations(s["preds"], s["golds"])
    return {"parse_float": parse, "sets": sets}


# ---------------------------------------------------------------- BLEU

def bleu_cases():
    en = [("The cat sat on the mat.", "A cat was sitting on the mat."), ("Hello world", "Goodbye world"),
          ("abc", "abcdef"), ("It costs $3.50, doesn't it?", "It costs 3.50 dollars, doesn't it?"),
          ("Tokyo is the capital of Japan.", "Tokyo is Japan's capital."), ("a-b 1-2 x.y 3,000", "a-b 1 - 2 x . y 3,000"),
          ("&quot;quoted&quot; &amp; <tag>", "\"quoted\" & <tag>"), ("one\ntwo", "one two"),
          ("He said: \"no!\" {ok} [x] ~y~", "He said: no {ok}"), ("", "nothing"), ("x", ""),
          ("The quick brown fox jumps over the lazy dog", "The quick brown fox jumped over the lazy dog")]
    ja = [("東京は日本の首都です。", "東京は日本の首都である。"), ("猫", "犬"), ("こんにちは 世界", "こんにちは世界"),
          ("あいう", "あいうえお"), ("", "空"), ("ＡＢＣ", "ABC")]
    per_sample = []
    for p, g in en:
        rec = {"pred": p, "gold": g, "lang": "en", "compat": bleu_compat(p, g, "13a")}
        rec["sentence"] = BLEU(effective_order=True).sentence_score(p, [g]).score
        per_sample.append(rec)
    for p, g in ja:
        # ja-mecab needs MeCab + IPAdic (not installed). On the one-character "sentences" of the compat quirk
        # every tokenizer yields that character (or nothing for whitespace), so 'char' stands in for it here.
        per_sample.append({"pred": p, "gold": g, "lang": "ja", "compat": bleu_compat(p, g, "char")})
    en_p = [p for p, _ in en]
    en_g = [g for _, g in en]
    corpus = {"preds": en_p, "golds": en_g, "bleu_en": BLEU().corpus_score(en_p, [en_g]).score,
              "compat_mean": sum(r["compat"] for r in per_sample if r["lang"] == "en") / len(en)}
    tok = [{"text": s, "tokens": sacrebleu.tokenizers.tokenizer_13a.Tokenizer13a()(s.rstrip())} for s, _ in en] + \
          [{"text": s, "tokens": sacrebleu.tokenizers.tokenizer_13a.Tokenizer13a()(s.rstrip())} for _, s in en]
    return {"per_sample": per_sample, "corpus_en": corpus, "tokenize_13a": tok}


# ---------------------------------------------------------------- post-processing

def postprocess_cases():
    raws = ["entailment\n\n### 入力:\nfoo", " neutral\n", "ＡＢＣ１２３", "ｶﾞｷﾞ\n\n", "\n\nanswer", "a\nb\n\nc",
            "\u3000YES\u3000", "①", "x\u00a0", "", "ﬁne", "\u2028x\u2029", "\u200bx"]
    return [{"generated": r, "prediction_strip": prediction_of(r, True), "prediction_nostrip": prediction_of(r, False)}
            for r in raws]


# ---------------------------------------------------------------- prompts (reference renderer, spec §4)

HEADER = "以下は、タスクを説明する指示と、文脈のある入力の組み合わせです。要求を適切に満たす応答を書きなさい。"


def render_default(instruction, shots, inp):
    p = f"{HEADER}\n\n### 指示:\n{instruction}"
    for s in shots:
        p += f"\n\n### 入力:\n{s['input']}\n\n### 応答:\n{s['output']}"
    return p + f"\n\n### 入力:\n{inp}\n\n### 応答:\n"


def render_custom(template, fewshots_template, instruction, shots, inp):
    # llm-jp-eval v1.3.0 get_evaluation_prompt: str.format twice ({input} survives the first pass)
    if not shots:
        system = template.format(instruction=instruction, input="{input}")
    else:
        text = ""
        for s in shots:
            if fewshots_template is not None:
                text += fewshots_template.format(input=s["input"], output=s["output"])
            else:
                text += f"\n\n### 入力:\n{s['input']}\n\n### 応答:\n{s['output']}"
        system = template.format(instruction=instruction, few_shots_text=text, input="{input}")
    return system.format(input=inp)


def prompt_cases():
    out = []
    names = sorted(n[:-5] for n in os.listdir(os.path.join(EVALSETS, "dev")))
    for name in names:
        dev = json.load(open(os.path.join(EVALSETS, "dev", name + ".json"), encoding="utf-8"))
        train = json.load(open(os.path.join(EVALSETS, "train", name + ".json"), encoding="utf-8"))
        for shots_n in (4, 0):
            shots = train["samples"][:shots_n]
            for i in (0, 1, 99):
                out.append({"dataset": name, "split": "dev", "shots": shots_n, "index": i,
                            "prompt": render_default(dev["instruction"], shots, dev["samples"][i]["input"])})
    custom = {"template": "指示: {instruction}{few_shots_text}\n\n入力: {input}\n出力: ",
              "fewshots_template": "\n\n入力: {input}\n出力: {output}",
              "zero_template": "<<{instruction}>> {{{{braces}}}} [{input}]"}
    dev = json.load(open(os.path.join(EVALSETS, "dev", "jsquad.json"), encoding="utf-8"))
    train = json.load(open(os.path.join(EVALSETS, "train", "jsquad.json"), encoding="utf-8"))
    shots = train["samples"][:2]
    inp = dev["samples"][0]["input"]
    customs = [
        {"template": custom["template"], "fewshots_template": custom["fewshots_template"], "shots": 2,
         "prompt": render_custom(custom["template"], custom["fewshots_template"], dev["instruction"], shots, inp)},
        {"template": custom["template"], "fewshots_template": None, "shots": 2,
         "prompt": render_custom(custom["template"], None, dev["instruction"], shots, inp)},
        {"template": custom["zero_template"], "fewshots_template": None, "shots": 0,
         "prompt": render_custom(custom["zero_template"], None, dev["instruction"], [], inp)},
    ]
    return {"default": out, "custom": {"dataset": "jsquad", "index": 0, "cases": customs}}


# ---------------------------------------------------------------- whole-dataset scoring and aggregation

CATEGORY_MAIN = {"jamp": ("NLI", "exact_match"), "janli": ("NLI", "exact_match"), "jnli": ("NLI", "exact_match"),
                 "jsem": ("NLI", "exact_match"), "jsick": ("NLI", "exact_match"),
                 "jcommonsenseqa": ("MC", "exact_match"), "jsquad": ("RC", "char_f1"),
                 "jemhopqa": ("QA", "char_f1"), "chabsa": ("EL", "set_f1")}


def scoring_cases():
    rng = random.Random(3)
    datasets = []
    for name in ["jamp", "jnli", "jcommonsenseqa", "jsquad", "jsts", "jemhopqa", "chabsa"]:
        dev = json.load(open(os.path.join(EVALSETS, "dev", name + ".json"), encoding="utf-8")) \
            if os.path.exists(os.path.join(EVALSETS, "dev", name + ".json")) else None
        if dev is not None:
            golds_raw = [s["output"] for s in dev["samples"][:30]]
            metrics = dev["metrics"]
        elif name == "jemhopqa":
            golds_raw = ["YES", "NO", "ダイ・ハード", "東京都", "1999年"]
            metrics = ["char_f1"]
        else:
            golds_raw = ["トヨタ positive\n日産 negative", "売上 neutral", "A positive"]
            metrics = ["set_f1"]
        generated = []
        for g in golds_raw:
            r = rng.random()
            if r < 0.4:
                generated.append(g + "\n\n### 入力:\n...")
            elif r < 0.55:
                generated.append(" " + g)
            elif r < 0.7:
                generated.append(g[: max(1, len(g) // 2)])
            else:
                generated.append(rng.choice(golds_raw) + ("\n" if rng.random() < 0.3 else ""))
        for strip in (True, False):
            preds = [prediction_of(x, strip) for x in generated]
            golds = [normalize(g, False) for g in golds_raw]
            scores = {}
            for m in metrics:
                if m == "exact_match":
                    scores[m] = sum(1 for p, g in zip(preds, golds) if p == g) / len(preds)
                elif m == "char_f1":
                    scores[m] = sum(char_f1(p, g) for p, g in zip(preds, golds)) / len(preds)
                elif m == "set_f1":
                    scores[m] = sum(set_f1(p, g) for p, g in zip(preds, golds)) / len(preds)
                elif m in ("pearson", "spearman"):
                    pr, sr = correlations(preds, golds)
                    scores["pearson"], scores["spearman"] = pr, sr
            datasets.append({"dataset": name, "strip": strip, "metrics": metrics, "generated": generated,
                             "golds": golds_raw, "scores": scores})
    # aggregation (spec §9, categories present only; jsts not in AVG)
    agg = {}
    for strip in (True, False):
        cats = {}
        for d in datasets:
            if d["strip"] != strip or d["dataset"] not in CATEGORY_MAIN:
                continue
            c, m = CATEGORY_MAIN[d["dataset"]]
            cats.setdefault(c, []).append(d["scores"][m])
        means = {c: sum(v) / len(v) for c, v in cats.items()}
        agg["strip" if strip else "nostrip"] = {"categories": means, "avg": sum(means.values()) / len(means)}
    return {"datasets": datasets, "aggregate": agg}


if __name__ == "__main__":
    write("char_f1.json", {"cases": char_f1_cases()})
    write("set_f1.json", {"cases": set_f1_cases()})
    write("correlation.json", correlation_cases())
    write("bleu.json", bleu_cases())
    write("postprocess.json", {"cases": postprocess_cases()})
    write("prompts.json", prompt_cases())
    write("scoring.json", scoring_cases())
    # sanity: the spec's char_f1 vectors
    for (p, g), want in zip([("東京都", "東京"), ("ダイ・ハード", "ダイハード"), ("a", "abcdefghijklmno")], [0.8, 0.91, 0.12]):
        assert abs(char_f1(p, g) - want) < 1e-9, (p, g)
    assert abs(bleu_compat("The cat sat on the mat.", "A cat was sitting on the mat.", "13a") - 11.11) < 0.01
    assert abs(bleu_compat("abc", "abcdef", "13a") - 100.0) < 1e-9
    print("fixtures written to", OUT)
