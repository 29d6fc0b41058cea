"""SHA-256 goldens for Tests/EvaluationTests/SHA256SwiftCryptoTests.swift, from Python's hashlib.

Prints the Swift dictionary literal pasted into that test (`sha256Goldens`); rerun and diff to check it:
    python3 tools/make_sha256_goldens.py
The "pieces" message is what the test feeds in uneven updates of 1, 63, 64, 65 and 1000 bytes: byte i is
(7 * i + 3) mod 256, 1193 bytes in all.
"""
import hashlib

PIECES = [1, 63, 64, 65, 1000]

messages = {
    "empty": b"",
    "abc": b"abc",
    "nist448": b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "millionA": b"a" * 1_000_000,
    "pieces": bytes((7 * i + 3) % 256 for i in range(sum(PIECES))),
    "japanese": "日本語の評価：東京は日本の首都です。".encode("utf-8"),
}

print("let sha256Goldens: [String: String] = [")
for name, data in messages.items():
    print(f'    "{name}": "{hashlib.sha256(data).hexdigest()}",')
print("]")
