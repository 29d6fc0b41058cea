/// The corpus cut into the units a piece can never span, with their frequencies.
///
/// Text is normalized exactly as the LLM-jp v3 normalizer does (a `▁` at the start of a document, every space
/// → `▁`). A piece never holds a newline (newlines go through byte fallback, as in LLM-jp v3) and holds `▁` only
/// at its start, so a unit ends at every newline and before every `▁`. Units also end where the script changes
/// (kanji, hiragana, katakana, Latin letters; each digit alone; a symbol alone or in a run of itself such as `###`), as SentencePiece does by default: this
/// keeps names and template words in separate pieces, which a small model needs to copy entities.
struct TrainingUnits {
    var table = CharacterTable()
    var units: [[Int32]] = []
    var counts: [Double] = []
    let spaceMark: Unicode.Scalar = "▁"

    init(documents: [String]) {
        var frequency: [String: Int] = [:]
        for doc in documents {
            var unit = String.UnicodeScalarView()
            var first = true
            func flush() {
                if !unit.isEmpty { frequency[String(unit), default: 0] += 1 }
                unit = String.UnicodeScalarView()
            }
            var previous = ScriptClass.other
            for s in doc.unicodeScalars {
                let c: Unicode.Scalar = s == " " ? spaceMark : s
                if first { unit.append(spaceMark); first = false; previous = .space }
                if c == "\n" { flush(); previous = .other; continue }
                let script = ScriptClass(c, spaceMark: spaceMark)
                // A piece may follow a leading '▁'; otherwise it stays inside one script run (digits and symbols
                // one character each), like SentencePiece's split_by_unicode_script and split_digits.
                let repeatedSymbol = script == .other && unit.last == c
                if script == .space || (previous != .space && (script != previous || !(script.joins || repeatedSymbol))) { flush() }
                unit.append(c)
                previous = script
            }
            flush()
        }
        // Sorted, so ids and iteration order do not depend on hashing.
        for key in frequency.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
            units.append(key.unicodeScalars.map { table.id($0) })
            counts.append(Double(frequency[key] ?? 0))
        }
    }

    var spaceId: Int32? { table.lookup(spaceMark) }

    /// Every character, with its total frequency.
    func characterCounts() -> [Int32: Double] {
        var out: [Int32: Double] = [:]
        for (unit, n) in zip(units, counts) { for c in unit { out[c, default: 0] += n } }
        return out
    }

    /// Frequent substrings of 2…maxLength characters that hold `▁` at most at their start.
    func substringCounts(maxLength: Int, minCount: Double) -> [([Int32], Double)] {
        var out: [[Int32]: Double] = [:]
        let space = spaceId
        for (unit, n) in zip(units, counts) {
            for start in unit.indices {
                var end = start + 1
                while end < unit.count && end - start < maxLength {
                    if unit[end] == space { break }
                    end += 1
                    out[Array(unit[start..<end]), default: 0] += n
                }
            }
        }
        return out.filter { $0.value >= minCount }.map { ($0.key, $0.value) }
    }
}

enum ScriptClass: Equatable {
    case space, han, hiragana, katakana, latin, digit, other

    init(_ c: Unicode.Scalar, spaceMark: Unicode.Scalar) {
        switch c.value {
        case spaceMark.value: self = .space
        case 0x3005, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: self = .han
        case 0x3041...0x309F: self = .hiragana
        case 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: self = .katakana   // ー (U+30FC) included
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: self = .latin
        case 0x30...0x39: self = .digit
        default: self = .other
        }
    }

    /// Whether consecutive characters of this class may share a piece.
    var joins: Bool { self == .han || self == .hiragana || self == .katakana || self == .latin }
}
