/// One entry of tokenizer.json `added_tokens`.
struct AddedToken: Sendable {
    var id: Int
    var content: String
    var bytes: [UInt8]
    var singleWord: Bool
    var lstrip: Bool
    var rstrip: Bool
    var normalized: Bool
    var special: Bool
}

/// A text segment after added-token extraction: either plain text or one added token.
struct Segment {
    var bytes: [UInt8]
    var addedId: Int?
    var atStart: Bool
}

/// Finds added tokens in text: leftmost-longest matching (tokenizers uses Aho-Corasick with
/// `MatchKind::LeftmostLongest`), then the single_word / lstrip / rstrip rules.
struct AddedTokenMatcher: Sendable {
    private let tokens: [AddedToken]
    /// Token indices by first byte, longest first.
    private var byFirstByte: [[Int]] = Array(repeating: [], count: 256)

    init(_ tokens: [AddedToken]) {
        self.tokens = tokens
        for (i, t) in tokens.enumerated() where !t.bytes.isEmpty { byFirstByte[Int(t.bytes[0])].append(i) }
        for b in 0..<256 { byFirstByte[b].sort { tokens[$0].bytes.count > tokens[$1].bytes.count } }
    }

    var isEmpty: Bool { tokens.isEmpty }

    private func longestMatch(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        for k in byFirstByte[Int(s[i])] {
            let t = tokens[k].bytes
            if i + t.count <= s.count {
                var j = 1
                while j < t.count && s[i + j] == t[j] { j += 1 }
                if j == t.count { return k }
            }
        }
        return nil
    }

    /// Splits `text` into plain segments and added-token segments (empty plain segments dropped).
    func split(_ text: [UInt8], atStart: Bool) -> [Segment] {
        if tokens.isEmpty || text.isEmpty { return text.isEmpty ? [] : [Segment(bytes: text, addedId: nil, atStart: atStart)] }
        var out: [Segment] = []
        text.withUnsafeBufferPointer { s in
            var startOffset = 0
            var i = 0
            while i < s.count {
                guard let k = longestMatch(s, at: i) else { i += 1; continue }
                let t = tokens[k]
                var start = i, stop = i + t.bytes.count
                i = stop
                if t.singleWord {
                    let startSpace = start == 0 || !endsWithWord(s, start)
                    let stopSpace = stop == s.count || !startsWithWord(s, stop)
                    if !startSpace || !stopSpace { continue }
                }
                if t.lstrip { start = max(leftmostSpaceAtEnd(s, start), startOffset) }
                if t.rstrip { stop = rightmostSpaceAtStart(s, stop) }
                if startOffset < start {
                    out.append(Segment(bytes: Array(s[startOffset..<start]), addedId: nil, atStart: atStart && startOffset == 0))
                }
                out.append(Segment(bytes: Array(s[start..<stop]), addedId: t.id, atStart: atStart && start == 0))
                startOffset = stop
                i = stop
            }
            if startOffset < s.count {
                out.append(Segment(bytes: Array(s[startOffset...]), addedId: nil, atStart: atStart && startOffset == 0))
            }
        }
        return out
    }

    // Word and space tests with the Rust regex crate's Unicode `\w` and `\s`.
    private func scalarBefore(_ s: UnsafeBufferPointer<UInt8>, _ end: Int) -> (UInt32, Int) {
        var j = end - 1
        while j > 0 && s[j] & 0xC0 == 0x80 { j -= 1 }
        return (decodeScalar(s, j).0, j)
    }
    private func endsWithWord(_ s: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        ClassItem.rustWord.matches(scalarBefore(s, end).0)
    }
    private func startsWithWord(_ s: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        ClassItem.rustWord.matches(decodeScalar(s, start).0)
    }
    private func leftmostSpaceAtEnd(_ s: UnsafeBufferPointer<UInt8>, _ end: Int) -> Int {
        var e = end
        while e > 0 {
            let (c, j) = scalarBefore(s, e)
            if !ClassItem.rustSpace.matches(c) { break }
            e = j
        }
        return e
    }
    private func rightmostSpaceAtStart(_ s: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < s.count {
            let (c, len) = decodeScalar(s, i)
            if !ClassItem.rustSpace.matches(c) { break }
            i += len
        }
        return i
    }
}
