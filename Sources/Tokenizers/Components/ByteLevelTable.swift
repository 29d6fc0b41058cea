/// GPT-2's reversible byte <-> printable character map (tokenizers' `bytes_char`).
enum ByteLevelTable {
    /// UTF-8 of the character standing for each byte.
    static let byteToUTF8: [[UInt8]] = {
        var chars = [UInt32](repeating: 0, count: 256)
        var n: UInt32 = 0
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable { chars[b] = UInt32(b) } else { chars[b] = 256 + n; n += 1 }
        }
        return chars.map { Array(String(Character(Unicode.Scalar($0)!)).utf8) }
    }()

    /// Inverse map: scalar value -> byte (only scalars below 512 occur).
    static let scalarToByte: [Int16] = {
        var table = [Int16](repeating: -1, count: 512)
        for b in 0..<256 {
            let s = String(decoding: byteToUTF8[b], as: UTF8.self).unicodeScalars.first!.value
            table[Int(s)] = Int16(b)
        }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(contentsOf: byteToUTF8[Int(b)]) }
        return out
    }

    /// The bytes a token stands for, or nil when some character is outside the table.
    static func decode(_ token: String) -> [UInt8]? {
        var out = [UInt8]()
        for s in token.unicodeScalars {
            guard s.value < 512 else { return nil }
            let b = scalarToByte[Int(s.value)]
            if b < 0 { return nil }
            out.append(UInt8(b))
        }
        return out
    }
}
