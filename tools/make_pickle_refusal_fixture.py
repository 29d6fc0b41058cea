#!/usr/bin/env python3
"""Malicious checkpoints for the refusal test of Sources/TorchCheckpoint (plain Python, no torch).

    python3 tools/make_pickle_refusal_fixture.py

Each file is the torch.save zip layout (archive/data.pkl) whose pickle calls os.system("echo kasane-pwned")
when loaded by an unrestricted unpickler: refuse_global.pt with protocol 2 (GLOBAL opcode) and
refuse_stack_global.pt with protocol 4 (STACK_GLOBAL). Kasane must refuse both without running anything.
"""
import os
import pickle
import zipfile

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchCheckpointTests", "Fixtures")


class Exploit:
    def __reduce__(self):
        return (os.system, ("echo kasane-pwned",))


def write(name, protocol):
    payload = pickle.dumps({"state_dict": Exploit()}, protocol=protocol)
    with zipfile.ZipFile(os.path.join(OUT, name), "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", payload)
        z.writestr("archive/version", "3\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("refuse_global.pt", 2)
    write("refuse_stack_global.pt", 4)
