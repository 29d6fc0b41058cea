import Foundation
import Testing
@testable import Evaluation

// Vectors from FIPS 180-4 / NIST CSRC examples.
@Test func sha256KnownVectors() {
    #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    var million = SHA256()
    let chunk = Data(repeating: UInt8(ascii: "a"), count: 1000)
    for _ in 0..<1000 { million.update(chunk) }
    #expect(million.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func sha256SplitUpdatesMatchOneShot() {
    let text = Data((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    let whole = SHA256.hex(text)
    for split in [1, 55, 56, 63, 64, 65, 127, 999] {
        var hasher = SHA256()
        hasher.update(text.prefix(split))
        hasher.update(text.suffix(from: split))
        #expect(hasher.finalizeHex() == whole, "split at \(split)")
    }
}
