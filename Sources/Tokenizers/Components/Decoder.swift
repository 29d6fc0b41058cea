import JSON
/// A tokenizer.json `decoder`: turns token strings back into text (tokenizers' `decode_chain`).
indirect enum Decoder: Sendable, TypedComponent {
    case sequence([Decoder])
    case byteFallback
    case replace(OnigRegex, content: String)
    case fuse
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    case metaspace(replacement: Unicode.Scalar, scheme: PrependScheme)
    case byteLevel

    static let component = "decoder", listKey = "decoders"

    static func parse(type: String, _ json: JSONValue, file: String) throws -> Decoder? {
        switch type {
        case "ByteFallback": return .byteFallback
        case "Fuse": return .fuse
        case "ByteLevel": return .byteLevel
        case "Replace":
            let regex = try parsePattern(json["pattern"], file: file, field: "decoder.Replace.pattern")
            let content = try json.required("content", \.stringValue, file: file, field: "decoder.Replace.content")
            return .replace(regex, content: content)
        case "Strip":
            guard let c = json["content"]?.stringValue, c.unicodeScalars.count == 1, let ch = c.unicodeScalars.first,
                  let start = json["start"]?.intValue, let stop = json["stop"]?.intValue, start >= 0, stop >= 0 else {
                throw TokenizerError.badField(file: file, field: "decoder.Strip", reason: "needs content (one character), start, stop")
            }
            return .strip(content: ch, start: start, stop: stop)
        case "Metaspace":
            let rep = json["replacement"]?.stringValue ?? "▁"
            guard rep.unicodeScalars.count == 1, let ch = rep.unicodeScalars.first else {
                throw TokenizerError.badField(file: file, field: "decoder.Metaspace.replacement", reason: "must be one character")
            }
            var scheme = PrependScheme.always
            if let s = json["prepend_scheme"]?.stringValue { scheme = PrependScheme(rawValue: s) ?? .always }
            if json["add_prefix_space"]?.boolValue == false { scheme = .never }
            return .metaspace(replacement: ch, scheme: scheme)
        default: return nil
        }
    }

    func decodeChain(_ tokens: [String]) throws -> [String] {
        switch self {
        case .sequence(let list):
            var t = tokens
            for d in list { t = try d.decodeChain(t) }
            return t
        case .fuse:
            return [tokens.joined()]
        case .byteFallback:
            var out: [String] = []
            var pending: [UInt8] = []
            func flush() {
                if pending.isEmpty { return }
                if let s = String(validating: pending, as: UTF8.self) { out.append(s) } else {
                    out.append(contentsOf: repeatElement("\u{FFFD}", count: pending.count))
                }
                pending.removeAll()
            }
            for t in tokens {
                if let b = Self.byteToken(t) { pending.append(b) } else { flush(); out.append(t) }
            }
            flush()
            return out
        case .replace(let regex, let content):
            return try tokens.map { t in
                let bytes = Array(t.utf8)
                if bytes.isEmpty { return t }
                let ranges = try bytes.withUnsafeBufferPointer { try regex.matches(in: $0) }
                if ranges.isEmpty { return t }
                var out: [UInt8] = []
                var last = 0
                for r in ranges {
                    out.append(contentsOf: bytes[last..<r.lowerBound])
                    out.append(contentsOf: content.utf8)
                    last = r.upperBound
                }
                out.append(contentsOf: bytes[last...])
                return String(decoding: out, as: UTF8.self)
            }
        case .strip(let content, let start, let stop):
            return tokens.map { t in
                let chars = Array(t.unicodeScalars)
                var startCut = 0
                for i in 0..<min(start, chars.count) { if chars[i] == content { startCut = i + 1 } else { break } }
                var stopCut = chars.count
                for i in 0..<min(stop, chars.count) {
                    let index = chars.count - i - 1
                    if chars[index] == content { stopCut = index } else { break }
                }
                if startCut >= stopCut { return "" }
                var v = String.UnicodeScalarView()
                v.append(contentsOf: chars[startCut..<stopCut])
                return String(v)
            }
        case .metaspace(let replacement, let scheme):
            return tokens.enumerated().map { i, t in
                var s = String.UnicodeScalarView()
                for c in t.unicodeScalars {
                    if c == replacement {
                        if !(i == 0 && scheme != .never) { s.append(" ") }
                    } else { s.append(c) }
                }
                return String(s)
            }
        case .byteLevel:
            var bytes: [UInt8] = []
            for t in tokens { bytes.append(contentsOf: ByteLevelTable.decode(t) ?? Array(t.utf8)) }
            return [String(decoding: bytes, as: UTF8.self)]
        }
    }

    /// `<0xHH>` (exactly six bytes) -> the byte.
    static func byteToken(_ t: String) -> UInt8? {
        let u = Array(t.utf8)
        guard u.count == 6, u[0] == 0x3C, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3E else { return nil }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        if u[3] == 0x2B, let lo = hex(u[4]) { return lo }   // Rust's from_str_radix accepts a leading '+'
        guard let hi = hex(u[3]), let lo = hex(u[4]) else { return nil }
        return hi << 4 | lo
    }
}
