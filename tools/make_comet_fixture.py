#!/usr/bin/env python3
"""A small COMET model in the Unbabel/wmt22-comet-da architecture, and unbabel-comet's own scores for it.

    pip install unbabel-comet sentencepiece "setuptools<80"   # pulls torch, transformers, pytorch-lightning
    python3 tools/make_comet_fixture.py

Writes Tests/CometTests/Fixtures/tiny-wmt22/ (and tiny-softmax-layernorm/, the same with softmax layer weights and
layer_norm: true, sharing tiny-wmt22/xlmr):
  hparams.yaml, checkpoints/model.ckpt   the layout of a downloaded COMET model (Lightning checkpoint)
  xlmr/                                  the encoder's config.json and tokenizer (tokenizer.json + sentencepiece
                                         model), what COMET loads from `pretrained_model` (xlm-roberta-large for wmt22)
  golden.json                            triples, XLM-R token ids, segment and system scores from model.predict

The encoder is a 3-layer, 32-wide XLM-R with a 600-piece SentencePiece Unigram vocabulary trained here on the
fixture sentences with SentencePiece's default nmt_nfkc rules, so the tokenizer.json carries a Precompiled
charsmap like xlm-roberta-large's; the head is wmt22's (mix of all layers through sparsemax, average
pooling, 6-way feature concat, Tanh feed-forward) with narrower hidden sizes. All weights are random (seeded) and
spread wider than the default init so that segment scores differ. max_position_embeddings is 40 so that one long
sentence exercises COMET's truncation (max_length = max_position_embeddings - 4).
"""
import json
import os
import shutil
import tempfile

import sentencepiece as spm
import torch
import yaml

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "CometTests", "Fixtures", "tiny-wmt22")

# (source, translation, reference): Japanese<->English, written for this fixture.
TRIPLES = [
    ("猫が窓の外を見ている。", "The cat is looking out of the window.", "A cat is looking out the window."),
    ("明日は雨が降るでしょう。", "It will rain tomorrow.", "It will probably rain tomorrow."),
    ("この本はとても面白かった。", "This book was very boring.", "This book was very interesting."),
    ("駅まで歩いて十分かかります。", "It takes ten minutes to walk to the station.", "It is a ten-minute walk to the station."),
    ("彼女は毎朝コーヒーを飲む。", "She drinks coffee every morning.", "She drinks coffee every morning."),
    ("The meeting was postponed until next week.", "会議は来週まで延期された。", "会議は来週に延期されました。"),
    ("Please close the door when you leave.", "出るときはドアを閉めてください。", "出かけるときはドアを閉めてください。"),
    ("The river flows quietly through the old town.", "川は古い町を静かに流れる。", "川は古い町の中を静かに流れている。"),
    ("I forgot my umbrella at the office.", "私は傘を会社に忘れた。", "会社に傘を忘れてしまった。"),
    ("Mountains are beautiful in autumn.", "山は秋に美しい。", "秋の山は美しい。"),
    ("京都には古い寺がたくさんあり、春には桜を見に多くの人が訪れ、秋には紅葉を楽しむ観光客で町が賑わいます。",
     "Kyoto has many old temples; in spring many people visit to see the cherry blossoms, and in autumn the town is busy with tourists enjoying the autumn leaves.",
     "There are many old temples in Kyoto, and many people come to see the cherry blossoms in spring, while in autumn the city is crowded with tourists enjoying the red leaves."),
    ("", "Empty source.", "空の原文。"),
    ("ＡＢＣ社の株価は１２３円…ｶﾀｶﾅ①㈱", "ABC's share price is 123 yen.", "Ｔｈｅ  price of ＡＢＣ is ¥123 — café cafe\u0301 ﬁne"),
]

# Extra texts whose token ids are recorded: they exercise the Precompiled (nmt_nfkc) normalizer, grapheme
# clusters longer than 6 bytes, whitespace runs and unknown characters.
PROBES = ["①②③ Ⅻ ㍻ ℌ ﬃ", "ﾊﾟﾝとｶﾞｷﾞ", "Ａ\u3000Ｂ\tC", "x\u200by", "e\u0301 vs é", "👍🏽 and 👨\u200d👩\u200d👧",
          "한국어 текст العربية", "  leading and trailing  ", "ǅemal Ǆ", "line\r\nbreak", "１２３４５６７８９０円",
          "“quotes” ‘single’ — …", "🇯🇵", "a\u00adb"]

HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POSITIONS = 32, 3, 4, 64, 40
HEAD_SIZES = [48, 24]


def train_tokenizer(folder):
    from transformers import XLMRobertaTokenizerFast
    text = [t for triple in TRIPLES for t in triple if t]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        with open(corpus, "w") as f:
            f.write("\n".join(text * 3) + "\n")
        prefix = os.path.join(tmp, "sentencepiece.bpe")
        spm.SentencePieceTrainer.train(input=corpus, model_prefix=prefix, model_type="unigram", vocab_size=600,
                                       hard_vocab_limit=False, character_coverage=1.0,
                                       normalization_rule_name="nmt_nfkc", bos_id=1, eos_id=2, unk_id=0, pad_id=-1)
        tok = XLMRobertaTokenizerFast(vocab_file=prefix + ".model")
        tok.save_pretrained(folder)
    return tok


def randomize(model, g, mixed_layers):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name or name.endswith("gamma"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            elif "scalar_parameters" in name:
                continue
            elif "estimator" in name:
                p.copy_(torch.randn(p.shape, generator=g) / max(1, p.shape[-1]) ** 0.5)
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=g))
        # Layer weights chosen so that sparsemax gives a non-uniform mix with one layer dropped exactly.
        weights = [0.1, 0.9, -0.6, 0.5] + [0.3 * ((i * 7) % 5 - 2) for i in range(mixed_layers - 4)]
        for p, w in zip(model.layerwise_attention.scalar_parameters, weights):
            p.fill_(w)


def save_lightning_checkpoint(model, path):
    import pytorch_lightning as ptl
    trainer = ptl.Trainer(accelerator="cpu", devices=1, logger=False, enable_checkpointing=False,
                          enable_progress_bar=False, enable_model_summary=False)
    trainer.strategy.connect(model)
    trainer.save_checkpoint(path, weights_only=True)


def build_model(out, hidden=HIDDEN, layers=LAYERS, heads=HEADS, intermediate=INTERMEDIATE,
                max_positions=MAX_POSITIONS, head_sizes=HEAD_SIZES, layer_transformation="sparsemax",
                layer_norm=False, encoder="xlmr"):
    """Writes a COMET model folder at `out` (also used by bench/bench_comet.py with larger sizes). `encoder` is
    the pretrained_model folder relative to `out`; when it is not "xlmr", an existing one is reused."""
    from transformers import XLMRobertaConfig
    from comet.models import RegressionMetric
    torch.manual_seed(22)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "checkpoints"))
    if encoder == "xlmr":
        xlmr = os.path.join(out, "xlmr")
        tok = train_tokenizer(xlmr)
        XLMRobertaConfig(vocab_size=len(tok), hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                         intermediate_size=intermediate, max_position_embeddings=max_positions, type_vocab_size=1,
                         layer_norm_eps=1e-5, pad_token_id=1, bos_token_id=0, eos_token_id=2).save_pretrained(xlmr)
    os.chdir(out)  # pretrained_model is a relative folder, as hparams.yaml names it
    model = RegressionMetric(pretrained_model=encoder, load_pretrained_weights=False, layer="mix",
                             layer_transformation=layer_transformation, layer_norm=layer_norm, pool="avg",
                             hidden_sizes=head_sizes, activations="Tanh", final_activation=None, dropout=0.1,
                             nr_frozen_epochs=0.3, keep_embeddings_frozen=True)
    randomize(model, torch.Generator().manual_seed(2022), layers + 1)
    save_lightning_checkpoint(model, "checkpoints/model.ckpt")
    with open("hparams.yaml", "w") as f:
        yaml.safe_dump(dict(model.hparams), f)


def score_with_comet():
    """unbabel-comet's scores, ids and layer weights for the model folder in the current directory."""
    from comet.models import load_from_checkpoint
    loaded = load_from_checkpoint("checkpoints/model.ckpt")
    data = [{"src": s, "mt": m, "ref": r} for s, m, r in TRIPLES]
    out = loaded.predict(data, batch_size=4, gpus=0, progress_bar=False)
    ids = {text: loaded.encoder.tokenizer(text, truncation=True, max_length=loaded.encoder.max_positions - 2)["input_ids"]
           for text in [t for triple in TRIPLES for t in triple] + PROBES}
    import comet, transformers
    attention = loaded.layerwise_attention
    layer_weights = attention.transform_fn(torch.cat(list(attention.scalar_parameters)), dim=0)
    golden = {
        "origin": "tools/make_comet_fixture.py",
        "versions": {"unbabel-comet": comet.__version__ if hasattr(comet, "__version__") else "",
                     "torch": torch.__version__, "transformers": transformers.__version__},
        "triples": [{"src": s, "mt": m, "ref": r} for s, m, r in TRIPLES],
        "segment_scores": [float(x) for x in out.scores],
        "system_score": float(out.system_score),
        "token_ids": ids,
        "layer_weights": [float(x) for x in layer_weights],
    }
    with open("golden.json", "w") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
    print(os.getcwd(), golden["segment_scores"], golden["system_score"])


def main():
    build_model(OUT)
    score_with_comet()
    # The other head options: softmax layer weights and per-sentence layer normalization, same encoder folder.
    build_model(OUT.replace("tiny-wmt22", "tiny-softmax-layernorm"), layer_transformation="softmax",
                layer_norm=True, encoder="../tiny-wmt22/xlmr")
    score_with_comet()


if __name__ == "__main__":
    main()
