import Foundation

/// SentencePiece's `precompiled_charsmap` normalizer (tokenizers' `Precompiled`), used by XLM-R, mBART, T5...
/// The blob is `[u32 trie size in bytes][darts-clone double-array trie][NUL-separated replacement strings]`;
/// the trie maps a UTF-8 prefix to the offset of its replacement.
struct PrecompiledCharsmap: Sendable {
    private let units: [UInt32]
    private let replacements: [UInt8]

    init(base64: String, file: String) throws {
        guard let data = Data(base64Encoded: base64) else {
            throw TokenizerError.badField(file: file, field: "normalizer.Precompiled.precompiled_charsmap", reason: "not base64")
        }
        let bytes = [UInt8](data)
        func bad(_ reason: String) -> TokenizerError {
            .badField(file: file, field: "normalizer.Precompiled.precompiled_charsmap", reason: reason)
        }
        guard bytes.count >= 4 else { throw bad("shorter than its 4-byte header") }
        let trieBytes = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard trieBytes % 4 == 0, 4 + trieBytes <= bytes.count else { throw bad("trie size \(trieBytes) does not fit the blob") }
        var units = [UInt32](repeating: 0, count: trieBytes / 4)
        for i in units.indices {
            let b = 4 + 4 * i
            units[i] = UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16 | UInt32(bytes[b + 3]) << 24
        }
        self.units = units
        replacements = Array(bytes[(4 + trieBytes)...])
    }

    private static func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }

    /// The replacement of the shortest trie key that prefixes `chunk`, as spm_precompiled's `transform`.
    func transform(_ chunk: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard !units.isEmpty else { return nil }
        var node = Self.offset(units[0])
        for c in chunk {
            if c == 0 { break }
            node ^= Int(c)
            guard node >= 0, node < units.count else { return nil }
            let unit = units[node]
            guard unit & ((1 << 31) | 0xFF) == UInt32(c) else { return nil }
            node ^= Self.offset(unit)
            guard node >= 0, node < units.count else { return nil }
            if (unit >> 8) & 1 == 1 {
                let start = Int(units[node] & ((1 << 31) - 1))
                guard start < replacements.count else { return nil }
                let end = replacements[start...].firstIndex(of: 0) ?? replacements.count
                return replacements[start..<end]
            }
        }
        return nil
    }

    /// Each grapheme shorter than 6 bytes is replaced whole when the trie knows it; otherwise each of its
    /// characters is replaced or kept (tokenizers' `Precompiled::normalize`).
    func apply(_ s: inout [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        for grapheme in String(decoding: s, as: UTF8.self) {
            let g = Array(String(grapheme).utf8)
            if g.count < 6, let r = transform(g[...]) { out += r; continue }
            for scalar in grapheme.unicodeScalars {
                let c = Array(String(scalar).utf8)
                if let r = transform(c[...]) { out += r } else { out += c }
            }
        }
        s = out
    }
}
