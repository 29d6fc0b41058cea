import Foundation

/// The syntax tree of an Oniguruma pattern, restricted to the constructs tokenizer.json files use.
indirect enum RegexNode {
    case empty
    case scalar(UInt32, caseInsensitive: Bool)
    case charClass(CharClass)
    case any(dotAll: Bool)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)
    case lookahead(RegexNode, negated: Bool)
    case lookbehind(RegexNode, negated: Bool)
    case lineStart, lineEnd, textStart, textEnd, textEndBeforeNewline, wordBoundary(negated: Bool)

    /// Whether the node can match the empty string (loops over such bodies are rejected).
    var nullable: Bool {
        switch self {
        case .empty, .lookahead, .lookbehind, .lineStart, .lineEnd, .textStart, .textEnd,
             .textEndBeforeNewline, .wordBoundary: return true
        case .scalar, .charClass, .any: return false
        case .concat(let parts): return parts.allSatisfy { $0.nullable }
        case .alternation(let alts): return alts.contains { $0.nullable }
        case .repetition(let node, let min, _, _): return min == 0 || node.nullable
        }
    }

    /// The length in scalars when fixed (needed for look-behind), else nil.
    var fixedLength: Int? {
        switch self {
        case .empty, .lookahead, .lookbehind, .lineStart, .lineEnd, .textStart, .textEnd,
             .textEndBeforeNewline, .wordBoundary: return 0
        case .scalar, .charClass, .any: return 1
        case .concat(let parts):
            var total = 0
            for p in parts { guard let n = p.fixedLength else { return nil }; total += n }
            return total
        case .alternation(let alts):
            guard let first = alts.first?.fixedLength else { return 0 }
            for a in alts.dropFirst() where a.fixedLength != first { return nil }
            return first
        case .repetition(let node, let min, let max, _):
            guard let max, max == min, let n = node.fixedLength else { return nil }
            return n * min
        }
    }
}

/// Parses Oniguruma syntax (ONIG_SYNTAX_ONIGURUMA, no options). Unsupported constructs are errors.
struct RegexParser {
    private let pattern: String
    private let scalars: [UInt32]
    private var pos = 0
    private var caseInsensitive = false
    private var dotAll = false

    init(_ pattern: String) {
        self.pattern = pattern
        self.scalars = pattern.unicodeScalars.map(\.value)
    }

    static func parse(_ pattern: String) throws -> RegexNode {
        var p = RegexParser(pattern)
        let node = try p.parseAlternation()
        if p.pos < p.scalars.count { throw p.fail("unbalanced ')'") }
        return node
    }

    private func fail(_ reason: String) -> TokenizerError { .regex(pattern: pattern, reason: reason) }
    private var atEnd: Bool { pos >= scalars.count }
    private func peek(_ offset: Int = 0) -> UInt32? {
        pos + offset < scalars.count ? scalars[pos + offset] : nil
    }
    private func isChar(_ c: Character, at offset: Int = 0) -> Bool {
        peek(offset) == c.unicodeScalars.first!.value
    }

    private mutating func parseAlternation() throws -> RegexNode {
        var alts: [RegexNode] = [try parseConcat()]
        while isChar("|") {
            pos += 1
            alts.append(try parseConcat())
        }
        return alts.count == 1 ? alts[0] : .alternation(alts)
    }

    private mutating func parseConcat() throws -> RegexNode {
        var parts: [RegexNode] = []
        let savedCase = caseInsensitive, savedDot = dotAll
        defer { caseInsensitive = savedCase; dotAll = savedDot }
        while !atEnd && !isChar("|") && !isChar(")") {
            // An option switch like (?i) applies to the rest of the enclosing group.
            if isChar("("), isChar("?", at: 1), let applied = try parseInlineOptionSwitch() {
                _ = applied
                continue
            }
            var atom = try parseAtom()
            atom = try parseQuantifiers(atom)
            parts.append(atom)
        }
        if parts.isEmpty { return .empty }
        return parts.count == 1 ? parts[0] : .concat(parts)
    }

    /// Handles `(?imx-imx)` with no colon; returns nil (and consumes nothing) otherwise.
    private mutating func parseInlineOptionSwitch() throws -> Bool? {
        var i = pos + 2
        var on = true
        var ci = caseInsensitive, da = dotAll
        while i < scalars.count {
            let c = scalars[i]
            if c == 0x29 { // ')'
                guard i > pos + 2 else { return nil }
                caseInsensitive = ci; dotAll = da
                pos = i + 1
                return true
            }
            switch c {
            case 0x69: ci = on          // i
            case 0x6D: da = on          // m: dot matches newline in Oniguruma syntax
            case 0x2D: on = false       // -
            default: return nil
            }
            i += 1
        }
        return nil
    }

    private mutating func parseQuantifiers(_ atom: RegexNode) throws -> RegexNode {
        var node = atom
        while let c = peek() {
            var min = 0, max: Int? = nil
            if c == 0x2A { pos += 1 }                          // *
            else if c == 0x2B { min = 1; pos += 1 }            // +
            else if c == 0x3F { max = 1; pos += 1 }            // ?
            else if c == 0x7B, let (lo, hi, length) = scanInterval() {  // {m,n}
                min = lo; max = hi; pos += length
            } else { break }
            var greedy = true
            if isChar("?") { greedy = false; pos += 1 }
            else if isChar("+") { throw fail("possessive quantifiers are not supported") }
            if let max, max < min { throw fail("interval {\(min),\(max)} has max < min") }
            if min > 1000 || (max ?? 0) > 1000 { throw fail("interval bounds above 1000 are not supported") }
            if node.nullable && (max == nil || max! > 1) {
                throw fail("a repeated group that can match the empty string is not supported")
            }
            node = .repetition(node, min: min, max: max, greedy: greedy)
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`, `{,m}`; returns (min, max, length) or nil when `{` is a literal.
    private func scanInterval() -> (Int, Int?, Int)? {
        var i = pos + 1
        func number() -> Int? {
            var v: Int? = nil
            while i < scalars.count, scalars[i] >= 0x30, scalars[i] <= 0x39 {
                v = (v ?? 0) * 10 + Int(scalars[i] - 0x30)
                if v! > 100_000 { return nil }
                i += 1
            }
            return v
        }
        let lo = number()
        if i < scalars.count, scalars[i] == 0x7D {
            guard let lo else { return nil }
            return (lo, lo, i + 1 - pos)
        }
        guard i < scalars.count, scalars[i] == 0x2C else { return nil }
        i += 1
        let hi = number()
        guard i < scalars.count, scalars[i] == 0x7D else { return nil }
        if lo == nil && hi == nil { return nil }
        return (lo ?? 0, hi, i + 1 - pos)
    }

    private mutating func parseAtom() throws -> RegexNode {
        guard let c = peek() else { throw fail("unexpected end") }
        switch c {
        case 0x28: return try parseGroup()                 // (
        case 0x5B: return .charClass(try parseBracket())   // [
        case 0x2E: pos += 1; return .any(dotAll: dotAll)   // .
        case 0x5E: pos += 1; return .lineStart             // ^
        case 0x24: pos += 1; return .lineEnd               // $
        case 0x5C: return try parseEscape(inClass: false).node
        case 0x2A, 0x2B, 0x3F: throw fail("quantifier without a target")
        default:
            pos += 1
            return .scalar(c, caseInsensitive: caseInsensitive)
        }
    }

    private mutating func parseGroup() throws -> RegexNode {
        pos += 1
        let savedCase = caseInsensitive, savedDot = dotAll
        defer { caseInsensitive = savedCase; dotAll = savedDot }
        var kind = 0 // 0 group, 1 lookahead, 2 neg lookahead, 3 lookbehind, 4 neg lookbehind
        if isChar("?") {
            pos += 1
            guard let c = peek() else { throw fail("unterminated group") }
            switch c {
            case 0x3A: pos += 1                                   // (?:
            case 0x3D: pos += 1; kind = 1                         // (?=
            case 0x21: pos += 1; kind = 2                         // (?!
            case 0x3C:                                            // (?<
                if isChar("=", at: 1) { pos += 2; kind = 3 }
                else if isChar("!", at: 1) { pos += 2; kind = 4 }
                else {                                            // (?<name>
                    pos += 1
                    while let n = peek(), n != 0x3E { pos += 1 }
                    guard isChar(">") else { throw fail("unterminated group name") }
                    pos += 1
                }
            case 0x69, 0x6D, 0x2D:                                // (?i: (?-i: (?m:
                var on = true
                while let o = peek(), o != 0x3A {
                    switch o {
                    case 0x69: caseInsensitive = on
                    case 0x6D: dotAll = on
                    case 0x2D: on = false
                    default: throw fail("unsupported group option '\(Character(Unicode.Scalar(o)!))'")
                    }
                    pos += 1
                }
                guard isChar(":") else { throw fail("unterminated option group") }
                pos += 1
            default:
                throw fail("unsupported group construct '(?\(Character(Unicode.Scalar(c) ?? "?"))'")
            }
        }
        let inner = try parseAlternation()
        guard isChar(")") else { throw fail("missing ')'") }
        pos += 1
        switch kind {
        case 1: return .lookahead(inner, negated: false)
        case 2: return .lookahead(inner, negated: true)
        case 3, 4:
            if inner.fixedLength == nil {
                if case .alternation(let alts) = inner, alts.allSatisfy({ $0.fixedLength != nil }) {
                    return .lookbehind(inner, negated: kind == 4)
                }
                throw fail("look-behind with a variable length is not supported")
            }
            return .lookbehind(inner, negated: kind == 4)
        default: return inner
        }
    }

    private struct Escape { var node: RegexNode; var item: ClassItem?; var scalar: UInt32? }

    private mutating func parseEscape(inClass: Bool) throws -> Escape {
        pos += 1
        guard let c = peek() else { throw fail("trailing backslash") }
        pos += 1
        func lit(_ v: UInt32) -> Escape {
            Escape(node: .scalar(v, caseInsensitive: caseInsensitive), item: .range(v, v), scalar: v)
        }
        func cls(_ item: ClassItem) -> Escape {
            Escape(node: .charClass(CharClass(items: [item], negated: false, caseInsensitive: false)), item: item, scalar: nil)
        }
        switch Character(Unicode.Scalar(c)!) {
        case "t": return lit(0x09)
        case "n": return lit(0x0A)
        case "r": return lit(0x0D)
        case "f": return lit(0x0C)
        case "v": return lit(0x0B)
        case "a": return lit(0x07)
        case "e": return lit(0x1B)
        case "s": return cls(.space(negated: false))
        case "S": return cls(.space(negated: true))
        case "d": return cls(.digit(negated: false))
        case "D": return cls(.digit(negated: true))
        case "w": return cls(.word(negated: false))
        case "W": return cls(.word(negated: true))
        case "h": return cls(.hexDigit(negated: false))
        case "H": return cls(.hexDigit(negated: true))
        case "p", "P": return cls(try parseProperty(negated: c == 0x50))
        case "x": return lit(try parseHexEscape())
        case "u":
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let d = peek().flatMap(hexValue) else { throw fail("invalid \\u escape") }
                v = v * 16 + d; pos += 1
            }
            return lit(v)
        case "A" where !inClass: return Escape(node: .textStart, item: nil, scalar: nil)
        case "z" where !inClass: return Escape(node: .textEnd, item: nil, scalar: nil)
        case "Z" where !inClass: return Escape(node: .textEndBeforeNewline, item: nil, scalar: nil)
        case "b" where !inClass: return Escape(node: .wordBoundary(negated: false), item: nil, scalar: nil)
        case "B" where !inClass: return Escape(node: .wordBoundary(negated: true), item: nil, scalar: nil)
        case "b" where inClass: return lit(0x08)
        default:
            let isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if isAlnum { throw fail("unsupported escape '\\\(Character(Unicode.Scalar(c)!))'") }
            return lit(c)
        }
    }

    private func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    private mutating func parseHexEscape() throws -> UInt32 {
        var v: UInt32 = 0
        if isChar("{") {
            pos += 1
            var n = 0
            while let d = peek().flatMap(hexValue) { v = v * 16 + d; pos += 1; n += 1; if n > 8 { break } }
            guard n > 0, isChar("}") else { throw fail("invalid \\x{...} escape") }
            pos += 1
            return v
        }
        var n = 0
        while n < 2, let d = peek().flatMap(hexValue) { v = v * 16 + d; pos += 1; n += 1 }
        guard n > 0 else { throw fail("invalid \\x escape") }
        if v >= 0x80 { throw fail("\\x escapes of raw bytes above 0x7F are not supported") }
        return v
    }

    private mutating func parseProperty(negated: Bool) throws -> ClassItem {
        var name = ""
        var neg = negated
        if isChar("{") {
            pos += 1
            if isChar("^") { neg.toggle(); pos += 1 }
            while let c = peek(), c != 0x7D { name.unicodeScalars.append(Unicode.Scalar(c)!); pos += 1 }
            guard isChar("}") else { throw fail("unterminated \\p{...}") }
            pos += 1
        } else if let c = peek() {
            name = String(Character(Unicode.Scalar(c)!)); pos += 1
        }
        let key = name.replacingOccurrences(of: " ", with: "_")
        if let mask = UnicodeClasses.categoryMask(named: key) { return .categories(mask, negated: neg) }
        switch key.lowercased() {
        case "space", "white_space": return .space(negated: neg)
        case "word": return .word(negated: neg)
        case "digit": return .digit(negated: neg)
        case "alpha", "alphabetic": return .categories(UnicodeClasses.letter | (1 << 9), negated: neg)
        default: throw fail("unsupported property \\p{\(name)}")
        }
    }

    private mutating func parseBracket() throws -> CharClass {
        pos += 1
        var negated = false
        if isChar("^") { negated = true; pos += 1 }
        var items: [ClassItem] = []
        var first = true
        while true {
            guard let c = peek() else { throw fail("unterminated character class") }
            if c == 0x5D && !first { pos += 1; break }                // ]
            first = false
            if c == 0x5B {                                             // nested [...] or [:alpha:]
                if isChar(":", at: 1) { throw fail("POSIX bracket classes are not supported") }
                items.append(.nested(try parseBracket()))
                continue
            }
            if c == 0x26 && isChar("&", at: 1) { throw fail("class intersection '&&' is not supported") }
            var low: UInt32
            if c == 0x5C {
                let e = try parseEscape(inClass: true)
                guard let s = e.scalar else {
                    if let item = e.item { items.append(item) }
                    continue
                }
                low = s
            } else {
                low = c; pos += 1
            }
            // A range a-z (a '-' before ']' is literal).
            if isChar("-"), let next = peek(1), next != 0x5D {
                pos += 1
                var high: UInt32
                if next == 0x5C {
                    let e = try parseEscape(inClass: true)
                    guard let s = e.scalar else { throw fail("invalid range end in a character class") }
                    high = s
                } else { high = next; pos += 1 }
                if high < low { throw fail("invalid range in a character class") }
                items.append(.range(low, high))
            } else {
                items.append(.range(low, low))
            }
            _ = low
            low = 0
        }
        return CharClass(items: items, negated: negated, caseInsensitive: caseInsensitive)
    }
}
