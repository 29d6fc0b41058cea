// One SHA-256 for the whole project: dataset content hashes here, fingerprints and store keys in Trajectory.
import Crypto
import Foundation

/// SHA-256, streaming: checkpoint fingerprints, `--verify` hashes of whole weight files, prompt hashes and settings
/// hashes. A thin wrapper over swift-crypto's `Crypto.SHA256`, whose BoringSSL assembly uses the CPU's SHA extensions
/// (SHA-NI on x86_64): about 6x the hand-written Swift it replaced on whole weight files (docs/BENCHMARKS.md).
public struct SHA256: Sendable {
    private var hasher = Crypto.SHA256()

    public init() {}

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ string: String) {
        var copy = string
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        hasher.update(bufferPointer: bytes)
    }

    public mutating func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    public mutating func finalizeHex() -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    public static func hex(_ data: Data) -> String {
        var hasher = SHA256()
        hasher.update(data)
        return hasher.finalizeHex()
    }

    public static func hex(_ string: String) -> String {
        var hasher = SHA256()
        hasher.update(string)
        return hasher.finalizeHex()
    }
}
