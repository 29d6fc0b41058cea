"""Golden values for Kasane's MeCab-based metrics, from the reference implementations.

bleu_ja is sacrebleu 2.6's BLEU with the ja-mecab tokenizer (mecab-python3 + the PyPI ipadic package, the IPAdic
2.7.0 dictionary of 392,126 entries). ROUGE is Google's rouge_score with that tokenizer as the word tokenizer and
a newline after each of 。！？ before rougeLsum, as llm-jp-eval's RougeJa does (spec §8.8); per-sample F x 100.

Sentences are real Japanese text from ../shared/evalsets-real (JGLUE JSTS and JSQuAD, CC BY-SA 4.0).

    pip install "sacrebleu[ja]==2.6.0" rouge_score
    python3 tools/make_mecab_metric_fixtures.py   # writes Tests/EvaluationTests/Fixtures/mecab_metrics.json
"""
import json
import os
import re

import sacrebleu
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_ja_mecab import TokenizerJaMecab

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(here)
shared = os.path.join(repo, "..", "shared", "evalsets-real", "1.4.1", "evaluation", "dev")


def load(name):
    with open(os.path.join(shared, name + ".json"), encoding="utf-8") as f:
        return json.load(f)["samples"]


pairs = []
for s in load("jsts")[:40]:
    a, b = s["input"].split("\n")
    pairs.append((a.removeprefix("文1："), b.removeprefix("文2：")))
# Edge cases: ASCII and digits, full-width forms, surrounding and inner spaces, one character, identical.
pairs += [
    ("GPT-4は2023年3月に公開された。", "GPT-4 は 2023 年 3 月に発表された。"),
    ("ＡＢＣ　１２３の会社です", "ABC 123 の会社です"),
    ("  東京都に住んでいます。 ", "東京に住んでいる。"),
    ("猫", "猫"),
    ("今日は晴れです。", "今日は晴れです。"),
    ("", "何もない"),
]

tokenizer = TokenizerJaMecab()
dictionary = tokenizer.tagger.dictionary_info()

tokenize = []
for a, b in pairs:
    for text in (a, b):
        tokenize.append({"text": text, "wakati": tokenizer(text)})

bleu_sentence = BLEU(trg_lang="ja", effective_order=True)
bleu = []
for p, g in pairs:
    row = {"prediction": p, "gold": g, "sentence_bleu_ja": bleu_sentence.sentence_score(p, [g]).score}
    try:
        # llm-jp-eval v1.4.1's call: strings where lists are expected (spec §8.5).
        row["compat_bleu_ja"] = BLEU(trg_lang="ja", effective_order=True).corpus_score(p, [g]).score
    except IndexError:
        row["compat_bleu_ja"] = None  # sacrebleu raises on an empty prediction
    bleu.append(row)
scored = [(p, g) for p, g in pairs]
corpus = BLEU(trg_lang="ja").corpus_score([p for p, _ in scored], [[g for _, g in scored]]).score


class JapaneseWordTokenizer:
    def tokenize(self, text):
        return tokenizer(text).split()


def add_newlines(text):
    return re.sub(r"([。！？])", r"\1\n", text)


types = ["rouge1", "rouge2", "rougeLsum"]
scorer = rouge_scorer.RougeScorer(types, tokenizer=JapaneseWordTokenizer())
passages = [s["input"].split("\n")[0].removeprefix("文章：").split("[SEP]")[-1].strip() for s in load("jsquad")[:12]]
rouge_pairs = []
for i, passage in enumerate(passages):
    sentences = [x for x in re.split(r"(?<=。)", passage) if x]
    # Summaries of a kind: the first sentence, the sentences reversed, and a sentence of another passage.
    rouge_pairs.append(("".join(sentences[:1]), passage))
    rouge_pairs.append(("".join(reversed(sentences)), passage))
    rouge_pairs.append((passages[(i + 1) % len(passages)][:60], passage))
rouge_pairs += [(a, b) for a, b in pairs[:10]]
rouge = []
for p, g in rouge_pairs:
    lsum = scorer.score(add_newlines(g), add_newlines(p))["rougeLsum"].fmeasure * 100
    plain = scorer.score(g, p)
    rouge.append({"prediction": p, "gold": g, "rouge1": plain["rouge1"].fmeasure * 100,
                  "rouge2": plain["rouge2"].fmeasure * 100, "rougeLsum": lsum})

out = {
    "generator": f"sacrebleu {sacrebleu.__version__} ja-mecab ({tokenizer.signature()}), rouge_score, "
                 "tools/make_mecab_metric_fixtures.py",
    "licence": "sentences from JGLUE JSTS / JSQuAD (CC BY-SA 4.0), via ../shared/evalsets-real",
    "dictionary_size": dictionary.size,
    "tokenize": tokenize,
    "bleu": bleu,
    "corpus_bleu_ja": corpus,
    "rouge": rouge,
    "rouge_mean": {t: sum(r[t] for r in rouge) / len(rouge) for t in types},
}
path = os.path.join(repo, "Tests", "EvaluationTests", "Fixtures", "mecab_metrics.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
print("wrote", path, len(tokenize), "tokenizations,", len(bleu), "BLEU pairs,", len(rouge), "ROUGE pairs")
