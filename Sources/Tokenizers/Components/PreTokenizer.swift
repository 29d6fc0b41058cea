import JSON
/// One piece of a segment during pre-tokenization; `atStart` marks a piece that begins the input text
/// (Metaspace's `prepend_scheme: first` needs it).
struct Piece {
    var bytes: [UInt8]
    var atStart: Bool
}

enum SplitBehavior: String, Sendable {
    case removed = "Removed", isolated = "Isolated", mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext", contiguous = "Contiguous"
}

enum PrependScheme: String, Sendable { case first, never, always }

/// A tokenizer.json `pre_tokenizer`: splits a normalized segment into the words the model sees.
indirect enum PreTokenizer: Sendable, TypedComponent {
    case sequence([PreTokenizer])
    case metaspace(replacement: UInt32, scheme: PrependScheme, split: Bool)
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    case split(OnigRegex, behavior: SplitBehavior, invert: Bool)
    case digits(individual: Bool)
    case whitespace
    case whitespaceSplit

    static let gpt2Pattern = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"
    // Built once; the pattern is a constant known to compile.
    static let gpt2Regex: OnigRegex? = try? OnigRegex(pattern: gpt2Pattern)

    static let component = "pre_tokenizer", listKey = "pretokenizers"

    static func parse(type: String, _ json: JSONValue, file: String) throws -> PreTokenizer? {
        switch type {
        case "Metaspace":
            let rep = json["replacement"]?.stringValue ?? "▁"
            guard rep.unicodeScalars.count == 1, let scalar = rep.unicodeScalars.first else {
                throw TokenizerError.badField(file: file, field: "pre_tokenizer.Metaspace.replacement", reason: "must be one character")
            }
            var scheme = PrependScheme.always
            if let s = json["prepend_scheme"]?.stringValue {
                guard let p = PrependScheme(rawValue: s) else {
                    throw TokenizerError.badField(file: file, field: "pre_tokenizer.Metaspace.prepend_scheme", reason: "unknown value '\(s)'")
                }
                scheme = p
            }
            if json["add_prefix_space"]?.boolValue == false {
                if scheme != .never && json["prepend_scheme"] != nil {
                    throw TokenizerError.badField(file: file, field: "pre_tokenizer.Metaspace.add_prefix_space",
                                                  reason: "does not match prepend_scheme")
                }
                scheme = .never
            }
            return .metaspace(replacement: scalar.value, scheme: scheme, split: json["split"]?.boolValue ?? true)
        case "ByteLevel":
            return .byteLevel(addPrefixSpace: json["add_prefix_space"]?.boolValue ?? true,
                              useRegex: json["use_regex"]?.boolValue ?? true)
        case "Split":
            let regex = try parsePattern(json["pattern"], file: file, field: "pre_tokenizer.Split.pattern")
            guard let b = json["behavior"]?.stringValue, let behavior = SplitBehavior(rawValue: b) else {
                throw TokenizerError.badField(file: file, field: "pre_tokenizer.Split.behavior", reason: "missing or unknown")
            }
            return .split(regex, behavior: behavior, invert: json["invert"]?.boolValue ?? false)
        case "Digits": return .digits(individual: json["individual_digits"]?.boolValue ?? false)
        case "Whitespace": return .whitespace
        case "WhitespaceSplit": return .whitespaceSplit
        default: return nil
        }
    }

    func apply(_ pieces: inout [Piece]) throws {
        switch self {
        case .sequence(let list):
            for p in list { try p.apply(&pieces) }
        case .metaspace(let replacement, let scheme, let split):
            let rep = Array(String(Character(Unicode.Scalar(replacement)!)).utf8)
            try splitEach(&pieces) { piece in
                var s = [UInt8]()
                s.reserveCapacity(piece.bytes.count + 3)
                for b in piece.bytes { if b == 0x20 { s.append(contentsOf: rep) } else { s.append(b) } }
                let startsWithRep = s.starts(with: rep)
                switch scheme {
                case .always: if !startsWithRep { s.insert(contentsOf: rep, at: 0) }
                case .first: if !startsWithRep && piece.atStart { s.insert(contentsOf: rep, at: 0) }
                case .never: break
                }
                if !split { return [Piece(bytes: s, atStart: piece.atStart)] }
                let marks = scalarMarks(s) { $0 == replacement }
                return Self.applyBehavior(s, marks, .mergedWithNext, atStart: piece.atStart)
            }
        case .byteLevel(let addPrefixSpace, let useRegex):
            try splitEach(&pieces) { piece in
                var s = piece.bytes
                if addPrefixSpace && s.first != 0x20 { s.insert(0x20, at: 0) }
                guard useRegex, let re = Self.gpt2Regex else { return [Piece(bytes: s, atStart: piece.atStart)] }
                let marks = try regexMarks(s, re)
                return Self.applyBehavior(s, marks, .isolated, atStart: piece.atStart)
            }
            for i in pieces.indices { pieces[i].bytes = ByteLevelTable.encode(pieces[i].bytes) }
        case .split(let regex, let behavior, let invert):
            try splitEach(&pieces) { piece in
                var marks = try regexMarks(piece.bytes, regex)
                if invert { for i in marks.indices { marks[i].isMatch.toggle() } }
                return Self.applyBehavior(piece.bytes, marks, behavior, atStart: piece.atStart)
            }
        case .digits(let individual):
            try splitEach(&pieces) { piece in
                let marks = scalarMarks(piece.bytes) { UnicodeClasses.categoryBits($0) & UnicodeClasses.number != 0 }
                return Self.applyBehavior(piece.bytes, marks, individual ? .isolated : .contiguous, atStart: piece.atStart)
            }
        case .whitespace:
            try splitEach(&pieces) { piece in
                var marks = try regexMarks(piece.bytes, WhitespaceRegex.shared)
                for i in marks.indices { marks[i].isMatch.toggle() }
                return Self.applyBehavior(piece.bytes, marks, .removed, atStart: piece.atStart)
            }
        case .whitespaceSplit:
            try splitEach(&pieces) { piece in
                let marks = scalarMarks(piece.bytes) { Unicode.Scalar($0)?.properties.isWhitespace ?? false }
                return Self.applyBehavior(piece.bytes, marks, .removed, atStart: piece.atStart)
            }
        }
    }

    private func splitEach(_ pieces: inout [Piece], _ f: (Piece) throws -> [Piece]) throws {
        var out: [Piece] = []
        out.reserveCapacity(pieces.count)
        for p in pieces { for q in try f(p) where !q.bytes.isEmpty { out.append(q) } }
        pieces = out
    }

    /// The (range, isMatch) cover of the whole string, as tokenizers' `Pattern::find_matches`.
    struct Mark { var range: Range<Int>; var isMatch: Bool }

    /// Splits according to the delimiter behaviour (tokenizers' `NormalizedString::split`).
    static func applyBehavior(_ s: [UInt8], _ marks: [Mark], _ behavior: SplitBehavior, atStart: Bool) -> [Piece] {
        var spans: [(Range<Int>, Bool)] = []   // (range, remove)
        switch behavior {
        case .isolated: spans = marks.map { ($0.range, false) }
        case .removed: spans = marks.map { ($0.range, $0.isMatch) }
        case .contiguous:
            var previous = false
            for m in marks {
                if m.isMatch == previous, let last = spans.last {
                    spans[spans.count - 1] = (last.0.lowerBound..<m.range.upperBound, false)
                } else { spans.append((m.range, false)) }
                previous = m.isMatch
            }
        case .mergedWithPrevious:
            var previous = false
            for m in marks {
                if m.isMatch && !previous, let last = spans.last {
                    spans[spans.count - 1] = (last.0.lowerBound..<m.range.upperBound, false)
                } else { spans.append((m.range, false)) }
                previous = m.isMatch
            }
        case .mergedWithNext:
            var previous = false
            for m in marks.reversed() {
                if m.isMatch && !previous, let last = spans.last {
                    spans[spans.count - 1] = (m.range.lowerBound..<last.0.upperBound, false)
                } else { spans.append((m.range, false)) }
                previous = m.isMatch
            }
            spans.reverse()
        }
        var out: [Piece] = []
        for (r, remove) in spans where !remove && !r.isEmpty {
            out.append(Piece(bytes: Array(s[r]), atStart: atStart && r.lowerBound == 0))
        }
        return out
    }
}

func regexMarks(_ s: [UInt8], _ regex: OnigRegex) throws -> [PreTokenizer.Mark] {
    if s.isEmpty { return [.init(range: 0..<0, isMatch: false)] }
    var marks: [PreTokenizer.Mark] = []
    var prev = 0
    try s.withUnsafeBufferPointer { buf in
        try regex.forEachMatch(in: buf) { r in
            if prev != r.lowerBound { marks.append(.init(range: prev..<r.lowerBound, isMatch: false)) }
            marks.append(.init(range: r, isMatch: true))
            prev = r.upperBound
        }
    }
    if prev != s.count { marks.append(.init(range: prev..<s.count, isMatch: false)) }
    return marks
}

/// Marks every scalar for which `isDelimiter` holds, as tokenizers' char-predicate pattern.
func scalarMarks(_ s: [UInt8], _ isDelimiter: (UInt32) -> Bool) -> [PreTokenizer.Mark] {
    if s.isEmpty { return [.init(range: 0..<0, isMatch: false)] }
    var marks: [PreTokenizer.Mark] = []
    var lastOffset = 0
    s.withUnsafeBufferPointer { buf in
        var i = 0
        while i < buf.count {
            let (c, len) = decodeScalar(buf, i)
            if isDelimiter(c) {
                if lastOffset < i { marks.append(.init(range: lastOffset..<i, isMatch: false)) }
                marks.append(.init(range: i..<(i + len), isMatch: true))
                lastOffset = i + len
            }
            i += len
        }
    }
    if s.count > lastOffset { marks.append(.init(range: lastOffset..<s.count, isMatch: false)) }
    return marks
}

/// The Whitespace pre-tokenizer's `\w+|[^\w\s]+`, with the Rust `regex` crate's meaning of `\w`.
enum WhitespaceRegex {
    static let shared: OnigRegex = OnigRegex(rustWordPattern: ())
}
