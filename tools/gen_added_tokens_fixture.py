#!/usr/bin/env python3
"""Golden fixture for added tokens (special and not; lstrip, rstrip, single_word, normalized) and for
checkpoint-folder loading (tokenizer_config.json / special_tokens_map.json), computed by the Hugging Face
tokenizers and transformers libraries. Rerun: python3 tools/gen_added_tokens_fixture.py
Writes Tests/TokenizersTests/Fixtures/added_tokens.json (a small tokenizer plus cases)."""
import json, os, tempfile
import tokenizers, transformers
from tokenizers import AddedToken, Tokenizer, models, normalizers, pre_tokenizers, decoders, processors, trainers

corpus = ["the quick brown fox jumps over the lazy dog", "Hello world, hello tokenizer!", "日本語のテキストです。",
          "yesterday I read a book", "<day> is not a token yet", "12345 numbers and MORE words"] * 20
tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=True))
tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<s>", "</s>"],
                              initial_alphabet=[f"<0x{b:02X}>" for b in range(256)], show_progress=False)
tok.train_from_iterator(corpus, trainer)
tok.post_processor = processors.TemplateProcessing(single="<s> $A </s>", pair="<s> $A </s> $B:1 </s>:1",
                                                    special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))])
tok.add_special_tokens([AddedToken("[MASK]", lstrip=True, rstrip=False), AddedToken("<|im_end|>", rstrip=True)])
tok.add_tokens([AddedToken("day", single_word=True), AddedToken("yesterday", normalized=True),
                AddedToken("MORE", normalized=False, lstrip=True, rstrip=True), AddedToken("▁book", normalized=True)])
texts = ["", "day", "today is a day", "day-by-day days", "yesterday I read a book", "a [MASK] here", "a   [MASK]   b",
         "end<|im_end|>   next", "x MORE y", "  MORE  ", "<s>Hello</s>", "book  book", "[MASK][MASK]", "日本語のday",
         "the quick brown fox", "\tday\n", "yesterdayday", "notebook book"]
cases = []
for t in texts:
    e = tok.encode(t, add_special_tokens=False)
    cases.append({"text": t, "ids": e.ids, "tokens": e.tokens, "ids_with_special": tok.encode(t).ids,
                  "decoded": tok.decode(e.ids, skip_special_tokens=True),
                  "decoded_keep": tok.decode(e.ids, skip_special_tokens=False)})

# Checkpoint folders: a PreTrainedTokenizerFast config (BOS from the template) and a LlamaTokenizerFast config
# whose add_bos_token / add_eos_token rebuild the template in transformers.
folders = []
with tempfile.TemporaryDirectory() as d:
    tok.save(os.path.join(d, "tokenizer.json"))
    configs = [
        {"tokenizer_class": "PreTrainedTokenizerFast", "add_bos_token": True, "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
        {"tokenizer_class": "LlamaTokenizerFast", "add_bos_token": False, "add_eos_token": True, "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
    ]
    for cfg in configs:
        with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
            json.dump(cfg, f)
        with open(os.path.join(d, "special_tokens_map.json"), "w") as f:
            json.dump({"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}, f)
        hf = transformers.AutoTokenizer.from_pretrained(d)
        folders.append({"tokenizer_config": cfg, "bos_token_id": hf.bos_token_id, "eos_token_id": hf.eos_token_id,
                        "cases": [{"text": t, "ids": hf(t)["input_ids"]} for t in ["hello world", "day", ""]]})

# A Llama-2/Mistral-style pipeline: Metaspace pre-tokenizer with prepend_scheme "first" (no normalizer), so
# only the segment at the start of the text gets a leading ▁, not the ones after special tokens.
ms = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=True))
ms.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
ms.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first", split=False)
ms.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<s>", "</s>"], show_progress=False))
ms.add_special_tokens(["[INST]", "[/INST]"])
ms_cases = []
for t in ["hello world", " hello", "[INST] hello [/INST] world", "[INST]hello[/INST]world", "a  b", "", "  ", "日本語 day"]:
    e = ms.encode(t, add_special_tokens=False)
    ms_cases.append({"text": t, "ids": e.ids, "tokens": e.tokens, "ids_with_special": ms.encode(t).ids,
                     "decoded": ms.decode(e.ids, skip_special_tokens=True),
                     "decoded_keep": ms.decode(e.ids, skip_special_tokens=False)})

out = {"tokenizers_version": tokenizers.__version__, "transformers_version": transformers.__version__,
       "tokenizer": json.loads(tok.to_str()), "cases": cases, "folders": folders,
       "metaspace_tokenizer": json.loads(ms.to_str()), "metaspace_cases": ms_cases}
path = os.path.join(os.path.dirname(__file__), "..", "Tests/TokenizersTests/Fixtures/added_tokens.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False)
print("wrote", path, os.path.getsize(path), "bytes")
