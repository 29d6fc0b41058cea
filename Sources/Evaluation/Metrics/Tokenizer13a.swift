/// sacrebleu's `13a` tokenizer (mteval-v13a), as in sacrebleu 2.x `Tokenizer13a` + `TokenizerRegexp`.
enum Tokenizer13a {
    /// Tokens of one segment; BLEU applies `rstrip()` before tokenizing and `split()` after.
    static func tokens(_ segment: String) -> [String] {
        var line = Array(PythonText.string(rstrip(Array(segment.unicodeScalars))).unicodeScalars)
        line = replace(line, "<skipped>", "")
        line = replace(line, "-\n", "")
        line = replace(line, "\n", " ")
        if line.contains("&") {
            line = replace(line, "&quot;", "\"")
            line = replace(line, "&amp;", "&")
            line = replace(line, "&lt;", "<")
            line = replace(line, "&gt;", ">")
        }
        line = [" "] + line + [" "]
        // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> " \1 "
        var spaced: [Unicode.Scalar] = []
        spaced.reserveCapacity(line.count * 2)
        for s in line {
            if isPunctuation(s) { spaced.append(" "); spaced.append(s); spaced.append(" ") } else { spaced.append(s) }
        }
        // ([^0-9])([\.,]) -> "\1 \2 "
        spaced = substitutePairs(spaced, first: { !isDigit($0) }, second: isPeriodComma) { a, b in [a, " ", b, " "] }
        // ([\.,])([^0-9]) -> " \1 \2"
        spaced = substitutePairs(spaced, first: isPeriodComma, second: { !isDigit($0) }) { a, b in [" ", a, " ", b] }
        // ([0-9])(-) -> "\1 \2 "
        spaced = substitutePairs(spaced, first: isDigit, second: { $0 == "-" }) { a, b in [a, " ", b, " "] }
        return PythonText.split(spaced).map(PythonText.string)
    }

    private static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: return true
        default: return false
        }
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    private static func isPeriodComma(_ s: Unicode.Scalar) -> Bool { s == "." || s == "," }

    /// `re.sub` of a two-character pattern: left-to-right, non-overlapping.
    private static func substitutePairs(_ s: [Unicode.Scalar], first: (Unicode.Scalar) -> Bool,
                                        second: (Unicode.Scalar) -> Bool,
                                        with replacement: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count + 8)
        var i = 0
        while i < s.count {
            if i + 1 < s.count && first(s[i]) && second(s[i + 1]) {
                out.append(contentsOf: replacement(s[i], s[i + 1]))
                i += 2
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    private static func replace(_ s: [Unicode.Scalar], _ target: String, _ with: String) -> [Unicode.Scalar] {
        let t = Array(target.unicodeScalars), w = Array(with.unicodeScalars)
        guard !t.isEmpty, s.count >= t.count else { return s }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if i + t.count <= s.count && s[i..<(i + t.count)].elementsEqual(t) {
                out.append(contentsOf: w)
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    private static func rstrip(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var hi = s.count
        while hi > 0 && PythonText.isSpace(s[hi - 1]) { hi -= 1 }
        return Array(s[..<hi])
    }
}
