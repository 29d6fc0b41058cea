"""Chance levels of the tiny-world evalsets, computed with the reference metric libraries.

Writes evalsets/tiny-world/chance.json. Rerun after `kasane world --output evalsets/tiny-world --evalsets-only`:
    python3 tools/tinyworld_chance.py
Definitions (the same for every split):
  exact_match  the majority baseline: always answer the split's most frequent gold label.
  char_f1      fuzzywuzzy token_sort_ratio/100 (llm-jp-eval's char_f1) of a random *other* gold of the same split,
               averaged over all ordered pairs: an answer of the right kind for the wrong item.
  set_f1       llm-jp-eval's set_f1 of a random other gold, averaged over all ordered pairs.
  bleu_en      sacrebleu corpus BLEU (13a) of the golds against the golds shifted by one (a random other sentence),
               and the llm-jp-eval v1.4.1 per-sample quirk (corpus_score on strings) averaged over all ordered pairs.
"""
import collections, glob, json, os, sys
import fuzzywuzzy, sacrebleu
from fuzzywuzzy import fuzz
from sacrebleu.metrics import BLEU

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "evalsets", "tiny-world")


def set_f1(pred, gold):
    p = list({x.strip() for x in pred.split("\n")})
    g = [x.strip() for x in gold.split("\n")]
    matched = sum(1 for x in p if x in g)
    prec, rec = matched / len(p), matched / len(g)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def pairwise(golds, metric):
    vals = [metric(golds[j], golds[i]) for i in range(len(golds)) for j in range(len(golds)) if i != j]
    return sum(vals) / len(vals)


def main():
    out = {"_generated_by": "tools/tinyworld_chance.py",
           "_libraries": {"fuzzywuzzy": fuzzywuzzy.__version__, "sacrebleu": sacrebleu.__version__},
           "_definitions": __doc__.split("Definitions (the same for every split):")[1].strip(),
           "datasets": {}}
    for path in sorted(glob.glob(os.path.join(ROOT, "evaluation", "dev", "*.json"))):
        name = os.path.basename(path)[:-5]
        entry = {}
        for split in ("dev", "test"):
            data = json.load(open(os.path.join(ROOT, "evaluation", split, name + ".json"), encoding="utf-8"))
            golds = [s["output"] for s in data["samples"]]
            scores = {}
            for metric in data["metrics"]:
                if metric == "exact_match":
                    scores[metric] = collections.Counter(golds).most_common(1)[0][1] / len(golds)
                elif metric == "char_f1":
                    scores[metric] = pairwise(golds, lambda p, g: fuzz.token_sort_ratio(p, g) / 100.0)
                elif metric == "set_f1":
                    scores[metric] = pairwise(golds, set_f1)
                elif metric == "bleu_en":
                    shifted = golds[1:] + golds[:1]
                    scores[metric] = sacrebleu.corpus_bleu(shifted, [golds]).score
                    compat = BLEU(effective_order=True)
                    scores[metric + "_llm-jp-eval-compat"] = pairwise(
                        golds, lambda p, g: compat.corpus_score(p, [g]).score)
            entry[split] = {k: round(v, 4) for k, v in scores.items()}
        out["datasets"][name] = entry
    with open(os.path.join(ROOT, "chance.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=2)
        f.write("\n")
    json.dump(out["datasets"], sys.stdout, indent=1)


if __name__ == "__main__":
    main()
