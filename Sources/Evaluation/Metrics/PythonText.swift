/// Python `str` semantics that llm-jp-eval's metrics depend on, on Unicode scalars (Python's code points).
enum PythonText {
    /// Python `str.isspace()`: bidirectional class WS, B or S, or general category Zs.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Python `str.strip()` with no argument.
    static func strip(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var lo = 0, hi = scalars.count
        while lo < hi && isSpace(scalars[lo]) { lo += 1 }
        while hi > lo && isSpace(scalars[hi - 1]) { hi -= 1 }
        return Array(scalars[lo..<hi])
    }

    static func strip(_ text: String) -> String { string(strip(Array(text.unicodeScalars))) }

    /// Python `str.split()` with no argument: runs of whitespace separate, no empty pieces.
    static func split(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var out: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for s in scalars {
            if isSpace(s) {
                if !current.isEmpty { out.append(current); current = [] }
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Python `str.split(sep)` for a literal separator (keeps empty pieces).
    static func split(_ text: String, separator: Unicode.Scalar) -> [String] {
        text.unicodeScalars.split(separator: separator, omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }

    /// Python `re` `\w` with `re.UNICODE`: `str.isalnum()` or `_`. Marks (Mn, Mc, Me) are not word characters.
    static func isWord(_ s: Unicode.Scalar) -> Bool {
        if s == "_" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return s.properties.numericType != nil
        }
    }

    /// Python `str.lower()` (full lower-case mapping, code point by code point).
    static func lower(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for (i, s) in scalars.enumerated() {
            if s == "\u{03A3}" {   // Python applies the Final_Sigma rule
                out.append(isFinalSigma(scalars, i) ? "\u{03C2}" : "\u{03C3}")
                continue
            }
            out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
        }
        return out
    }

    /// Σ preceded by a cased letter (skipping case-ignorables) and not followed by one.
    private static func isFinalSigma(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0 && s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0 && s[j].properties.isCased else { return false }
        var k = i + 1
        while k < s.count && s[k].properties.isCaseIgnorable { k += 1 }
        return !(k < s.count && s[k].properties.isCased)
    }

    /// Code-point order, as Python compares `str` (Swift's `String <` uses canonical ordering).
    static func lessThan(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        a.lexicographicallyPrecedes(b) { $0.value < $1.value }
    }

    static func string(_ scalars: [Unicode.Scalar]) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars)
        return String(s)
    }

    /// Exact code-point equality (Swift `String ==` is canonical equivalence).
    static func equal(_ a: String, _ b: String) -> Bool { a.unicodeScalars.elementsEqual(b.unicodeScalars) }
}
