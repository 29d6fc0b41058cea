"""A tiny llm-jp-eval v1.4.1 MT evalset (the four MT datasets) and golden BLEU values for it, from sacrebleu.

The real ALT and Wikipedia Kyoto corpus files are not redistributed here; the sentences below were written by hand
for Kasane (no third-party text; CC0). Dataset files follow llm-jp-eval's preprocessed format (spec §3.1:
`json.dump(asdict(OutputInfo), ensure_ascii=False, indent=4)`), with v1.4.1's instructions, output lengths and
metric lists (spec §7). Golden values: sacrebleu 2.6 corpus BLEU (13a for bleu_en, ja-mecab with the PyPI ipadic
dictionary for bleu_ja), sentence BLEU (effective_order), and llm-jp-eval's per-sample string call (spec §8.5).

    pip install "sacrebleu[ja]==2.6.0"
    python3 tools/make_mt_fixtures.py   # writes Tests/EvaluationTests/Fixtures/mt/
"""
import json
import os

import sacrebleu
from sacrebleu.metrics import BLEU

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(os.path.dirname(here), "Tests", "EvaluationTests", "Fixtures", "mt")

E_TO_J = "これから提示する英語の文章を日本語に翻訳してください。必ず日本語の訳文のみを出力し、それ以外には何も含めないことを厳守してください。"
J_TO_E = "これから提示する日本語の文章を英語に翻訳してください。必ず英語の訳文のみを出力し、それ以外には何も含めないことを厳守してください。"

# name: (instruction, output_length, metrics, target language, dev [(input, output, prediction)], train [(input, output)])
DATASETS = {
    "alt-e-to-j": (E_TO_J, 250, ["bleu_ja", "bert_score_ja_f1", "comet_wmt22"], "ja", [
        ("The train to Kyoto leaves at nine in the morning.", "京都行きの電車は午前九時に出発します。", "京都行きの列車は朝九時に出ます。"),
        ("My sister bought a new bicycle last week.", "妹は先週新しい自転車を買いました。", "姉は先週新しい自転車を買った。"),
        ("It rained heavily all day, so the game was cancelled.", "一日中激しい雨が降ったので、試合は中止になりました。",
         "一日中大雨だったので、試合は中止されました。"),
        ("The library is closed on Mondays.", "図書館は月曜日が休館です。", "図書館は月曜日に閉まっています。"),
    ], [("Good morning.", "おはようございます。"), ("Where is the station?", "駅はどこですか。")]),
    "alt-j-to-e": (J_TO_E, 500, ["bleu_en", "bert_score_en_f1", "comet_wmt22"], "en", [
        ("彼は毎朝公園を走っています。", "He runs in the park every morning.", "He jogs in the park every morning."),
        ("この店のパンはとてもおいしい。", "The bread at this shop is very good.", "This shop's bread is very delicious."),
        ("会議は来週の火曜日に延期された。", "The meeting was postponed to next Tuesday.", "The meeting was postponed until next Tuesday."),
        ("窓を開けてもいいですか。", "May I open the window?", "Can I open the window?"),
    ], [("ありがとうございます。", "Thank you very much."), ("今日は暑いです。", "It is hot today.")]),
    "wikicorpus-e-to-j": (E_TO_J, 300, ["bleu_ja", "bert_score_ja_f1", "comet_wmt22"], "ja", [
        ("Kinkaku-ji is a Zen temple in the north of Kyoto.", "金閣寺は京都の北部にある禅寺である。", "金閣寺は京都北部にある禅宗の寺院である。"),
        ("The temple was originally built as a villa for a shogun.", "この寺はもともと将軍の別荘として建てられた。",
         "この寺は元々将軍の山荘として建てられた。"),
        ("The current building was rebuilt in 1955.", "現在の建物は1955年に再建された。", "現在の建物は1955年に再建されたものである。"),
    ], [("Kyoto was the capital of Japan for over a thousand years.", "京都は千年以上にわたり日本の首都であった。"),
        ("The river flows through the city.", "その川は市内を流れている。")]),
    "wikicorpus-j-to-e": (J_TO_E, 550, ["bleu_en", "bert_score_en_f1", "comet_wmt22"], "en", [
        ("清水寺は東山の中腹に位置する寺院である。", "Kiyomizu-dera is a temple located halfway up Mount Higashiyama.",
         "Kiyomizu-dera is a temple on the slope of Higashiyama."),
        ("本堂の舞台は釘を使わずに組まれている。", "The stage of the main hall was assembled without using nails.",
         "The stage of the main hall is built without nails."),
        ("毎年多くの参拝者が訪れる。", "Many worshippers visit every year.", "Many visitors come every year."),
    ], [("祇園祭は七月に行われる。", "The Gion Festival is held in July."),
        ("鴨川は京都の中心を流れる。", "The Kamo River flows through the center of Kyoto.")]),
}


def write(split, name, instruction, length, metrics, samples):
    folder = os.path.join(out, "1.4.1", "evaluation", split)
    os.makedirs(folder, exist_ok=True)
    info = {"instruction": instruction, "output_length": length, "metrics": metrics, "few_shots": [],
            "samples": [{"input": i, "output": o} for i, o in samples]}
    with open(os.path.join(folder, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(info, f, ensure_ascii=False, indent=4)


golden = {"sacrebleu": sacrebleu.__version__, "datasets": {}}
for name, (instruction, length, metrics, lang, dev, train) in DATASETS.items():
    write("dev", name, instruction, length, metrics, [(i, o) for i, o, _ in dev])
    write("train", name, instruction, length, metrics, train)
    preds, golds = [p for _, _, p in dev], [o for _, o, _ in dev]
    kwargs = {"trg_lang": "ja"} if lang == "ja" else {}
    corpus = BLEU(**kwargs).corpus_score(preds, [golds]).score
    sentence = [BLEU(effective_order=True, **kwargs).sentence_score(p, [g]).score for p, g in zip(preds, golds)]
    # llm-jp-eval v1.4.1: corpus_score(str, [str]) per sample, then the mean.
    compat = [BLEU(effective_order=True, **kwargs).corpus_score(p, [g]).score for p, g in zip(preds, golds)]
    golden["datasets"][name] = {"metric": metrics[0], "predictions": preds, "corpus_bleu": corpus,
                                "sentence_bleu": sentence, "compat_bleu": compat, "compat_mean": sum(compat) / len(compat)}
with open(os.path.join(out, "scores.json"), "w", encoding="utf-8") as f:
    json.dump(golden, f, ensure_ascii=False, indent=1)
