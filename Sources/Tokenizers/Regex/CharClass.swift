/// Unicode character predicates with Oniguruma's (Unicode, no ASCII option) meanings.
enum UnicodeClasses {
    /// Bit per general category, in the order of `Unicode.GeneralCategory` cases used below.
    static func categoryBit(_ c: Unicode.GeneralCategory) -> UInt32 {
        switch c {
        case .uppercaseLetter: return 1 << 0
        case .lowercaseLetter: return 1 << 1
        case .titlecaseLetter: return 1 << 2
        case .modifierLetter: return 1 << 3
        case .otherLetter: return 1 << 4
        case .nonspacingMark: return 1 << 5
        case .spacingMark: return 1 << 6
        case .enclosingMark: return 1 << 7
        case .decimalNumber: return 1 << 8
        case .letterNumber: return 1 << 9
        case .otherNumber: return 1 << 10
        case .connectorPunctuation: return 1 << 11
        case .dashPunctuation: return 1 << 12
        case .openPunctuation: return 1 << 13
        case .closePunctuation: return 1 << 14
        case .initialPunctuation: return 1 << 15
        case .finalPunctuation: return 1 << 16
        case .otherPunctuation: return 1 << 17
        case .mathSymbol: return 1 << 18
        case .currencySymbol: return 1 << 19
        case .modifierSymbol: return 1 << 20
        case .otherSymbol: return 1 << 21
        case .spaceSeparator: return 1 << 22
        case .lineSeparator: return 1 << 23
        case .paragraphSeparator: return 1 << 24
        case .control: return 1 << 25
        case .format: return 1 << 26
        case .surrogate: return 1 << 27
        case .privateUse: return 1 << 28
        case .unassigned: return 1 << 29
        @unknown default: return 1 << 29
        }
    }

    static let letter: UInt32 = 0b11111
    static let mark: UInt32 = 0b111 << 5
    static let number: UInt32 = 0b111 << 8
    static let punctuation: UInt32 = 0b1111111 << 11
    static let symbol: UInt32 = 0b1111 << 18
    static let separator: UInt32 = 0b111 << 22
    static let other: UInt32 = 0b11111 << 25

    /// Category masks for `\p{...}` names (one- and two-letter forms and the long names).
    static func categoryMask(named name: String) -> UInt32? {
        let table: [String: UInt32] = [
            "L": letter, "Letter": letter, "M": mark, "Mark": mark, "Combining_Mark": mark,
            "N": number, "Number": number, "P": punctuation, "Punctuation": punctuation,
            "S": symbol, "Symbol": symbol, "Z": separator, "Separator": separator, "C": other, "Other": other,
            "Lu": 1 << 0, "Uppercase_Letter": 1 << 0, "Ll": 1 << 1, "Lowercase_Letter": 1 << 1,
            "Lt": 1 << 2, "Titlecase_Letter": 1 << 2, "Lm": 1 << 3, "Modifier_Letter": 1 << 3,
            "Lo": 1 << 4, "Other_Letter": 1 << 4, "Mn": 1 << 5, "Nonspacing_Mark": 1 << 5,
            "Mc": 1 << 6, "Spacing_Mark": 1 << 6, "Me": 1 << 7, "Enclosing_Mark": 1 << 7,
            "Nd": 1 << 8, "Decimal_Number": 1 << 8, "Nl": 1 << 9, "Letter_Number": 1 << 9,
            "No": 1 << 10, "Other_Number": 1 << 10, "Pc": 1 << 11, "Connector_Punctuation": 1 << 11,
            "Pd": 1 << 12, "Dash_Punctuation": 1 << 12, "Ps": 1 << 13, "Open_Punctuation": 1 << 13,
            "Pe": 1 << 14, "Close_Punctuation": 1 << 14, "Pi": 1 << 15, "Initial_Punctuation": 1 << 15,
            "Pf": 1 << 16, "Final_Punctuation": 1 << 16, "Po": 1 << 17, "Other_Punctuation": 1 << 17,
            "Sm": 1 << 18, "Math_Symbol": 1 << 18, "Sc": 1 << 19, "Currency_Symbol": 1 << 19,
            "Sk": 1 << 20, "Modifier_Symbol": 1 << 20, "So": 1 << 21, "Other_Symbol": 1 << 21,
            "Zs": 1 << 22, "Space_Separator": 1 << 22, "Zl": 1 << 23, "Line_Separator": 1 << 23,
            "Zp": 1 << 24, "Paragraph_Separator": 1 << 24, "Cc": 1 << 25, "Control": 1 << 25,
            "Cf": 1 << 26, "Format": 1 << 26, "Cs": 1 << 27, "Surrogate": 1 << 27,
            "Co": 1 << 28, "Private_Use": 1 << 28, "Cn": 1 << 29, "Unassigned": 1 << 29,
        ]
        return table[name]
    }

    /// The general category bit of `v`, from the generated Oniguruma tables (not the Swift runtime's Unicode
    /// version, so that \p{L} and friends agree with the tokenizers library exactly).
    static func categoryBits(_ v: UInt32) -> UInt32 {
        OnigTables.categoryRanges.withUnsafeBufferPointer { t in
            var lo = 0, hi = t.count / 3 - 1
            while lo <= hi {
                let mid = (lo + hi) >> 1
                if v < t[mid * 3] { hi = mid - 1 } else if v > t[mid * 3 + 1] { lo = mid + 1 } else { return 1 << t[mid * 3 + 2] }
            }
            return 1 << 29
        }
    }

    static func inRanges(_ table: [UInt32], _ v: UInt32) -> Bool {
        table.withUnsafeBufferPointer { t in
            var lo = 0, hi = t.count / 2 - 1
            while lo <= hi {
                let mid = (lo + hi) >> 1
                if v < t[mid * 2] { hi = mid - 1 } else if v > t[mid * 2 + 1] { lo = mid + 1 } else { return true }
            }
            return false
        }
    }

    /// Oniguruma `\s` (Unicode): U+0009–U+000D, U+0085, and Zs, Zl, Zp.
    @inline(__always) static func isSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return inRanges(OnigTables.spaceRanges, v)
    }

    /// Oniguruma `\w` (its Word table, with Latin-1 quirks such as ¹²³).
    @inline(__always) static func isWord(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        return inRanges(OnigTables.wordRanges, v)
    }

    @inline(__always) static func isDigit(_ v: UInt32) -> Bool {
        if v < 0x80 { return v >= 0x30 && v <= 0x39 }
        return inRanges(OnigTables.digitRanges, v)
    }
}

/// One term of a bracket expression or a single escape such as `\p{L}`.
enum ClassItem {
    case range(UInt32, UInt32)
    case categories(UInt32, negated: Bool)
    case space(negated: Bool)
    case word(negated: Bool)
    case digit(negated: Bool)
    case hexDigit(negated: Bool)
    case nested(CharClass)
    /// The Rust `regex` crate's Unicode `\w` (Alphabetic, M, Nd, Pc, Join_Control) and `\s` (White_Space).
    case rustWord
    case rustSpace

    func matches(_ v: UInt32) -> Bool {
        switch self {
        case .range(let lo, let hi): return v >= lo && v <= hi
        case .categories(let mask, let negated): return (UnicodeClasses.categoryBits(v) & mask != 0) != negated
        case .space(let negated): return UnicodeClasses.isSpace(v) != negated
        case .word(let negated): return UnicodeClasses.isWord(v) != negated
        case .digit(let negated): return UnicodeClasses.isDigit(v) != negated
        case .hexDigit(let negated):
            let h = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x46) || (v >= 0x61 && v <= 0x66)
            return h != negated
        case .nested(let c): return c.matches(v)
        case .rustWord:
            guard let s = Unicode.Scalar(v) else { return false }
            if s.properties.isAlphabetic || v == 0x200C || v == 0x200D { return true }
            return UnicodeClasses.categoryBits(v) & (UnicodeClasses.mark | (1 << 8) | (1 << 11)) != 0
        case .rustSpace:
            return Unicode.Scalar(v)?.properties.isWhitespace ?? false
        }
    }
}

/// A set of scalars: the union of its items, optionally negated. ASCII answers come from a bitmap.
final class CharClass: @unchecked Sendable {
    let items: [ClassItem]
    let negated: Bool
    let caseInsensitive: Bool
    private var asciiLow: UInt64 = 0
    private var asciiHigh: UInt64 = 0

    init(items: [ClassItem], negated: Bool, caseInsensitive: Bool) {
        self.items = items
        self.negated = negated
        self.caseInsensitive = caseInsensitive
        for v in UInt32(0)..<128 where slowMatches(v) {
            if v < 64 { asciiLow |= 1 << UInt64(v) } else { asciiHigh |= 1 << UInt64(v - 64) }
        }
    }

    private func rawMatches(_ v: UInt32) -> Bool {
        for item in items where item.matches(v) { return true }
        return false
    }

    private func slowMatches(_ v: UInt32) -> Bool {
        var hit = rawMatches(v)
        if !hit && caseInsensitive {
            for other in CaseFolding.equivalents(of: v) where other != v && rawMatches(other) { hit = true; break }
        }
        return hit != negated
    }

    @inline(__always) func matches(_ v: UInt32) -> Bool {
        if v < 64 { return asciiLow & (1 << UInt64(v)) != 0 }
        if v < 128 { return asciiHigh & (1 << UInt64(v - 64)) != 0 }
        return slowMatches(v)
    }
}

/// Simple (one-to-one) case folding, enough for `(?i:...)` over the letters tokenizer patterns use.
enum CaseFolding {
    static func equivalents(of v: UInt32) -> [UInt32] {
        guard let s = Unicode.Scalar(v) else { return [v] }
        var out: [UInt32] = [v]
        func add(_ str: String) {
            let scalars = Array(str.unicodeScalars)
            if scalars.count == 1, !out.contains(scalars[0].value) { out.append(scalars[0].value) }
        }
        add(s.properties.lowercaseMapping)
        add(s.properties.uppercaseMapping)
        add(s.properties.titlecaseMapping)
        // Scalars whose fold is an ASCII letter although neither mapping says so.
        switch v {
        case 0x73, 0x53: if !out.contains(0x17F) { out.append(0x17F) }     // s, S ~ ſ
        case 0x17F: out.append(contentsOf: [0x73, 0x53])
        case 0x6B, 0x4B: if !out.contains(0x212A) { out.append(0x212A) }   // k, K ~ Kelvin sign
        case 0x212A: out.append(contentsOf: [0x6B, 0x4B])
        case 0xE5, 0xC5: if !out.contains(0x212B) { out.append(0x212B) }   // å ~ Ångström sign
        default: break
        }
        return out
    }
}
