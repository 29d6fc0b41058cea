import Foundation
import Testing
import Evaluation

// Digests from Python's hashlib: the output of tools/make_sha256_goldens.py, pasted.
let sha256Goldens: [String: String] = [
    "empty": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "nist448": "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    "millionA": "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    "pieces": "4cfa0de75a806206725b7bdcda0754b7ed3b9664f7f03c257edb89cbb2d8bda2",
    "japanese": "f09280ed529bf5242d421e23359aee0a5747b0603a5760fe91d597a733b548e2",
]

@Test func sha256OneShotMatchesHashlib() {
    #expect(SHA256.hex("") == sha256Goldens["empty"])
    #expect(SHA256.hex(Data()) == sha256Goldens["empty"])
    #expect(SHA256.hex("abc") == sha256Goldens["abc"])
    #expect(SHA256.hex(Data("abc".utf8)) == sha256Goldens["abc"])
    #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == sha256Goldens["nist448"])
    #expect(SHA256.hex(Data(repeating: UInt8(ascii: "a"), count: 1_000_000)) == sha256Goldens["millionA"])
    #expect(SHA256.hex("日本語の評価：東京は日本の首都です。") == sha256Goldens["japanese"])
}

@Test func sha256StreamingInUnevenPiecesMatchesOneShotAndHashlib() {
    let pieces = [1, 63, 64, 65, 1000]
    let bytes = Data((0..<pieces.reduce(0, +)).map { UInt8((7 * $0 + 3) % 256) })
    let oneShot = SHA256.hex(bytes)
    #expect(oneShot == sha256Goldens["pieces"])

    var hasher = SHA256()
    var offset = 0
    for (i, count) in pieces.enumerated() {
        let piece = bytes.subdata(in: offset..<offset + count)
        if i.isMultiple(of: 2) {
            hasher.update(piece)
        } else {
            piece.withUnsafeBytes { hasher.update($0) }
        }
        hasher.update(Data())  // an empty update changes nothing
        offset += count
    }
    let streamed = hasher.finalize()
    #expect(streamed.count == 32)
    #expect(streamed.map { String(format: "%02x", $0) }.joined() == oneShot)

    var text = SHA256()
    text.update("日本語の評価：")
    text.update("東京は日本の首都です。")
    #expect(text.finalizeHex() == sha256Goldens["japanese"])
}
