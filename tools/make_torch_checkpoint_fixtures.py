#!/usr/bin/env python3
"""Golden fixtures for Sources/TorchCheckpoint, written by torch.save itself.

    pip install torch        # plain PyPI works
    python3 tools/make_torch_checkpoint_fixtures.py

Writes into Tests/TorchCheckpointTests/Fixtures/:
  state_dict.pt      a plain state dict (as a legacy pytorch_model.bin): several dtypes, a transposed view,
                     two views sharing one storage (one with a storage offset), a 0-d tensor, an nn.Parameter
  lightning.ckpt     the Lightning layout: {"epoch", "global_step", "state_dict", "hyper_parameters", ...}
  pytorch_model.bin  transformers' save_pretrained(safe_serialization=False) of a tiny XLMRobertaModel
  bin_values.json    two of its tensors' values, from torch
  tensors.json       for every tensor: shape and its values as float32 (row-major), from torch
  refuse_*.pt        see tools/make_pickle_refusal_fixture.py
"""
import collections
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchCheckpointTests", "Fixtures")


def tensors():
    g = torch.Generator().manual_seed(14)
    base = torch.randn(4, 6, generator=g)
    shared = torch.arange(12, dtype=torch.float32) / 7
    d = collections.OrderedDict()
    d["dense.weight"] = base
    d["dense.weight_t"] = base.t()                         # strides (1, 6)
    d["half"] = torch.randn(3, 5, generator=g).half()
    d["bf16"] = torch.randn(2, 3, 2, generator=g).to(torch.bfloat16)
    d["double"] = torch.randn(5, generator=g, dtype=torch.float64)
    d["long"] = torch.tensor([[1, -2, 3], [40000, 5, -6]], dtype=torch.int64)
    d["shared.head"] = shared[:4]                          # same storage as the next one
    d["shared.tail"] = shared[5:].view(7, 1)               # storage offset 5
    d["scalar"] = torch.tensor(2.5)
    d["param"] = torch.nn.Parameter(torch.randn(3, 2, generator=g))
    d["empty"] = torch.zeros(0, 4)
    return d


def main():
    os.makedirs(OUT, exist_ok=True)
    d = tensors()
    torch.save(d, os.path.join(OUT, "state_dict.pt"))
    ckpt = {
        "epoch": 3,
        "global_step": 1200,
        "pytorch-lightning_version": "2.4.0",
        "state_dict": collections.OrderedDict((k, v) for k, v in d.items() if k.startswith("dense")),
        "loops": {"fit_loop": {"state_dict": {}, "epoch_progress": {"total": {"ready": 3}}}},
        "optimizer_states": [],
        "lr_schedulers": [],
        "hparams_name": "kwargs",
        "hyper_parameters": {"hidden_sizes": [8, 4], "activations": "Tanh", "dropout": 0.1, "layer": "mix",
                             "blob": b"\x00\xffbytes", "nothing": None, "flag": True},
    }
    torch.save(ckpt, os.path.join(OUT, "lightning.ckpt"))
    golden = {name: {"shape": list(t.shape), "values": t.detach().float().flatten().tolist()} for name, t in d.items()}
    with open(os.path.join(OUT, "tensors.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "tensors": golden}, f, indent=1)


def legacy_bin():
    from transformers import XLMRobertaConfig, XLMRobertaModel
    torch.manual_seed(5)
    model = XLMRobertaModel(XLMRobertaConfig(vocab_size=12, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                                             intermediate_size=16, max_position_embeddings=10), add_pooling_layer=False)
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp, safe_serialization=False)
        os.replace(os.path.join(tmp, "pytorch_model.bin"), os.path.join(OUT, "pytorch_model.bin"))
    sd = model.state_dict()
    names = ["embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.bias"]
    with open(os.path.join(OUT, "bin_values.json"), "w") as f:
        json.dump({"names": sorted(sd.keys()),
                   "tensors": {n: {"shape": list(sd[n].shape), "values": sd[n].flatten().tolist()} for n in names}}, f)


if __name__ == "__main__":
    main()
    legacy_bin()
