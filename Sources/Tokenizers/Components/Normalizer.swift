import Foundation
import JSON

/// A tokenizer.json `normalizer`: rewrites one text segment (UTF-8 bytes) before pre-tokenization.
indirect enum Normalizer: Sendable, TypedComponent {
    case sequence([Normalizer])
    case replace(OnigRegex, content: [UInt8])
    case prepend([UInt8])
    case nfc, nfd, nfkc, nfkd
    case lowercase
    case strip(left: Bool, right: Bool)
    case precompiled(PrecompiledCharsmap)

    static let component = "normalizer", listKey = "normalizers"

    static func parse(type: String, _ json: JSONValue, file: String) throws -> Normalizer? {
        switch type {
        case "Replace":
            let regex = try parsePattern(json["pattern"], file: file, field: "normalizer.Replace.pattern")
            let content = try json.required("content", \.stringValue, file: file, field: "normalizer.Replace.content")
            return .replace(regex, content: Array(content.utf8))
        case "Prepend":
            let p = try json.required("prepend", \.stringValue, file: file, field: "normalizer.Prepend.prepend")
            return .prepend(Array(p.utf8))
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Lowercase": return .lowercase
        case "Strip":
            return .strip(left: json["strip_left"]?.boolValue ?? true, right: json["strip_right"]?.boolValue ?? true)
        case "Precompiled":
            let map = try json.required("precompiled_charsmap", \.stringValue, file: file, field: "normalizer.Precompiled.precompiled_charsmap")
            return .precompiled(try PrecompiledCharsmap(base64: map, file: file))
        default: return nil
        }
    }

    func apply(_ s: inout [UInt8]) throws {
        switch self {
        case .sequence(let list):
            for n in list { try n.apply(&s) }
        case .replace(let regex, let content):
            if s.isEmpty { return }
            let ranges = try s.withUnsafeBufferPointer { try regex.matches(in: $0) }
            if ranges.isEmpty { return }
            var out: [UInt8] = []
            out.reserveCapacity(s.count + ranges.count * content.count)
            var last = 0
            for r in ranges {
                out.append(contentsOf: s[last..<r.lowerBound])
                out.append(contentsOf: content)
                last = r.upperBound
            }
            out.append(contentsOf: s[last...])
            s = out
        case .prepend(let p):
            if !s.isEmpty { s.insert(contentsOf: p, at: 0) }
        case .nfc: s = Array(String(decoding: s, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
        case .nfd: s = Array(String(decoding: s, as: UTF8.self).decomposedStringWithCanonicalMapping.utf8)
        case .nfkc: s = Array(String(decoding: s, as: UTF8.self).precomposedStringWithCompatibilityMapping.utf8)
        case .nfkd: s = Array(String(decoding: s, as: UTF8.self).decomposedStringWithCompatibilityMapping.utf8)
        case .lowercase:
            // Per-scalar full lowercase mapping, as Rust's char::to_lowercase (no final-sigma context).
            var out = String()
            for scalar in String(decoding: s, as: UTF8.self).unicodeScalars {
                if scalar.isASCII {
                    out.unicodeScalars.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 32)! : scalar)
                } else {
                    out += scalar.properties.lowercaseMapping
                }
            }
            s = Array(out.utf8)
        case .precompiled(let map):
            map.apply(&s)
        case .strip(let left, let right):
            let scalars = Array(String(decoding: s, as: UTF8.self).unicodeScalars)
            var lo = 0, hi = scalars.count
            if left { while lo < hi && scalars[lo].properties.isWhitespace { lo += 1 } }
            if right { while hi > lo && scalars[hi - 1].properties.isWhitespace { hi -= 1 } }
            if lo == 0 && hi == scalars.count { return }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars[lo..<hi])
            s = Array(String(out).utf8)
        }
    }
}

/// `{"String": "..."}` or `{"Regex": "..."}` as used by Replace and Split.
func parsePattern(_ json: JSONValue?, file: String, field: String) throws -> OnigRegex {
    guard let json else { throw TokenizerError.missingField(file: file, field: field) }
    if let s = json["String"]?.stringValue { return OnigRegex(literal: s) }
    if let r = json["Regex"]?.stringValue {
        do { return try OnigRegex(pattern: r) } catch let e as TokenizerError {
            throw TokenizerError.badField(file: file, field: field, reason: e.description)
        }
    }
    throw TokenizerError.badField(file: file, field: field, reason: "expected {\"String\": ...} or {\"Regex\": ...}")
}
