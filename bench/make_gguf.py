#!/usr/bin/env python3
"""Writes an F32 or F16 GGUF (llama architecture) of the benchmark checkpoint with the `gguf` package, the way llama.cpp's
convert_hf_to_gguf.py lays out a Llama: tensor names blk.N.*, q/k rows permuted to GGML's RoPE order, and an SPM
("llama") vocabulary of placeholder pieces with LLM-jp's special and byte-token layout (the benchmarks feed token
ids, so the pieces' text never matters). Usage: make_gguf.py CHECKPOINT_DIR OUT.gguf [f32|f16]
(F16 stores the matrices as F16 and the 1-D norm weights as F32, as convert_hf_to_gguf.py --outtype f16 does)"""
import json
import os
import sys

import gguf
import numpy as np
from safetensors.torch import load_file
import torch


def permute(w, n_head):
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def main():
    src, out = sys.argv[1], sys.argv[2]
    outtype = sys.argv[3] if len(sys.argv) > 3 else "f32"
    if outtype not in ("f32", "f16"):
        sys.exit(f"make_gguf.py: output type must be f32 or f16, not {outtype}")
    if os.path.exists(out):
        print(f"{out}: exists")
        return
    cfg = json.load(open(os.path.join(src, "config.json")))
    tensors = load_file(os.path.join(src, "model.safetensors"))
    h, heads, kv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    layers, vocab = cfg["num_hidden_layers"], cfg["vocab_size"]
    theta = cfg.get("rope_theta") or cfg.get("rope_parameters", {}).get("rope_theta", 10000.0)

    w = gguf.GGUFWriter(out + ".tmp", "llama")
    w.add_name("kasane-bench-llmjp3-150m-shape")
    w.add_context_length(cfg["max_position_embeddings"])
    w.add_embedding_length(h)
    w.add_block_count(layers)
    w.add_feed_forward_length(cfg["intermediate_size"])
    w.add_head_count(heads)
    w.add_head_count_kv(kv)
    w.add_rope_dimension_count(h // heads)
    w.add_rope_freq_base(float(theta))
    w.add_layer_norm_rms_eps(cfg["rms_norm_eps"])
    w.add_vocab_size(vocab)
    w.add_file_type(gguf.LlamaFileType.ALL_F32 if outtype == "f32" else gguf.LlamaFileType.MOSTLY_F16)

    tokens, scores, types = [], [], []
    for i in range(vocab):
        if i == 0:
            tok, ty = "<unk>", gguf.TokenType.UNKNOWN
        elif i in (1, 2):
            tok, ty = ("<s>", "</s>")[i - 1], gguf.TokenType.CONTROL
        elif i < 8:
            tok, ty = f"<ctl{i}>", gguf.TokenType.CONTROL
        elif i < 264:
            tok, ty = f"<0x{i - 8:02X}>", gguf.TokenType.BYTE
        else:
            tok, ty = f"\u2581t{i}", gguf.TokenType.NORMAL
        tokens.append(tok.encode())
        scores.append(-float(i))
        types.append(ty)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(False)

    def put(name, t):
        a = t.to(torch.float32).numpy().astype(np.float32)
        w.add_tensor(name, a.astype(np.float16) if outtype == "f16" and a.ndim == 2 else a)

    put("token_embd.weight", tensors["model.embed_tokens.weight"])
    for i in range(layers):
        p = f"model.layers.{i}."
        put(f"blk.{i}.attn_norm.weight", tensors[p + "input_layernorm.weight"])
        put(f"blk.{i}.attn_q.weight", permute(tensors[p + "self_attn.q_proj.weight"], heads))
        put(f"blk.{i}.attn_k.weight", permute(tensors[p + "self_attn.k_proj.weight"], kv))
        put(f"blk.{i}.attn_v.weight", tensors[p + "self_attn.v_proj.weight"])
        put(f"blk.{i}.attn_output.weight", tensors[p + "self_attn.o_proj.weight"])
        put(f"blk.{i}.ffn_norm.weight", tensors[p + "post_attention_layernorm.weight"])
        put(f"blk.{i}.ffn_gate.weight", tensors[p + "mlp.gate_proj.weight"])
        put(f"blk.{i}.ffn_up.weight", tensors[p + "mlp.up_proj.weight"])
        put(f"blk.{i}.ffn_down.weight", tensors[p + "mlp.down_proj.weight"])
    put("output_norm.weight", tensors["model.norm.weight"])
    put("output.weight", tensors["lm_head.weight"])

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.rename(out + ".tmp", out)
    print(f"{out}: {outtype.upper()} GGUF, {os.path.getsize(out):,} bytes")


if __name__ == "__main__":
    main()
