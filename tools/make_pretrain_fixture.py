#!/usr/bin/env python3
"""Writes Tests/TinyWorldTests/Fixtures/pretrain/: a tiny LLM-jp-v3-style tokenizer (the v3 pipeline, special tokens
and byte-fallback pieces, plus the characters and words of a small synthetic corpus with log-frequency scores),
that corpus as JSONL, and a recipe, for the end-to-end `kasane pretrain` test. The tokenizer is a pipeline fixture,
not a trained tokenizer (the world generator builds the real one).

Usage: python3 tools/make_pretrain_fixture.py   (needs /work/shared/reference or ../shared/reference beside the repo)
"""
import collections
import json
import math
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "TinyWorldTests", "Fixtures", "pretrain")
REFERENCE = next((p for p in [os.path.join(os.path.dirname(ROOT), "shared", "reference", "tokenizers", "llm-jp-v3", "tokenizer.json"),
                  "/work/shared/reference/tokenizers/llm-jp-v3/tokenizer.json"] if os.path.exists(p)), None)

NAMES = [("Tama", "タマ"), ("Hana", "花子"), ("Ken", "健"), ("Yuki", "雪"), ("Sora", "空")]
PLACES = [("Kyoto", "京都"), ("Osaka", "大阪"), ("Sapporo", "札幌"), ("Nara", "奈良")]
FOODS = [("rice", "ご飯"), ("fish", "魚"), ("bread", "パン"), ("apples", "りんご")]


def corpus():
    docs = []
    for i, (en, ja) in enumerate(NAMES):
        for j, (pen, pja) in enumerate(PLACES):
            fen, fja = FOODS[(i + j) % len(FOODS)]
            docs.append(f"{en} lives in {pen}. {en} likes {fen}.")
            docs.append(f"{ja}は{pja}に住んでいます。{ja}は{fja}が好きです。")
            docs.append(f"Question: Where does {en} live? Answer: {pen}")
    return docs


def main():
    with open(REFERENCE) as f:
        ref = json.load(f)
    docs = corpus()
    # Pieces: the v3 special and byte pieces, then characters and words (▁-prefixed as the normalizer makes them).
    counts = collections.Counter()
    for d in docs:
        text = "▁" + d.replace(" ", "▁")
        for ch in text:
            counts[ch] += 1
        for word in text.split("▁"):
            if word and word.isascii():
                counts["▁" + word] += 1
                for k in range(2, min(len(word), 4) + 1):
                    counts[word[:k]] += 1
    total = sum(counts.values())
    base = ref["model"]["vocab"][:264]          # <unk> <s> </s> <MASK> <PAD> <CLS> <SEP> <EOD> <0x00>..<0xFF>
    known = {p for p, _ in base}
    pieces = [[p, math.log(c / total)] for p, c in counts.most_common() if p not in known]
    tok = dict(ref)
    tok["model"] = dict(ref["model"], vocab=base + pieces)
    os.makedirs(os.path.join(OUT, "tokenizer"), exist_ok=True)
    with open(os.path.join(OUT, "tokenizer", "tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False)
    with open(os.path.join(OUT, "tokenizer", "special_tokens_map.json"), "w") as f:
        json.dump({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<PAD>"}, f, indent=1)
    with open(os.path.join(OUT, "tokenizer", "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "add_bos_token": True, "add_eos_token": False,
                   "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<PAD>",
                   "clean_up_tokenization_spaces": False}, f, indent=1)
    with open(os.path.join(OUT, "corpus.jsonl"), "w") as f:
        for d in docs:
            f.write(json.dumps({"text": d}, ensure_ascii=False) + "\n")
    recipe = {
        "model": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
                  "num_key_value_heads": 2},
        "data": {"corpus": "corpus.jsonl", "tokenizer": "tokenizer", "seq_len": 32},
        "training": {"steps": 30, "batch_size": 4, "lr": 1e-2, "min_lr": 1e-3, "warmup_steps": 5,
                     "schedule": "cosine", "seed": 5, "data_seed": 6},
        "checkpoints": {"save_every": 10, "dense_from": 24, "dense_every": 2},
    }
    with open(os.path.join(OUT, "recipe.json"), "w") as f:
        json.dump(recipe, f, indent=1)
        f.write("\n")
    try:
        from tokenizers import Tokenizer
        t = Tokenizer.from_file(os.path.join(OUT, "tokenizer", "tokenizer.json"))
        print("vocab", t.get_vocab_size(), "example", t.encode(docs[1]).tokens)
    except ImportError:
        pass


if __name__ == "__main__":
    main()
