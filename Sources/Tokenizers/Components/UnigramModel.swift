import JSON
/// The Unigram model (tokenizers' `encode_optimized`): an f64 Viterbi over byte offsets at character
/// boundaries, unknown characters scored `min_score - 10` and fused, then byte fallback.
final class UnigramModel: @unchecked Sendable {
    let pieces: [String]
    let scores: [Double]
    let unkId: Int?
    let byteFallback: Bool
    private let trie: ByteTrie
    private let unkScore: Double
    /// Id of `<0xHH>` for each byte, or -1.
    private let byteIds: [Int]

    init(json: JSONValue, file: String) throws {
        let vocab = try json.required("vocab", \.arrayValue, file: file, field: "model.vocab")
        var pieces: [String] = []
        var scores: [Double] = []
        pieces.reserveCapacity(vocab.count)
        scores.reserveCapacity(vocab.count)
        var totalBytes = 0
        for (i, entry) in vocab.enumerated() {
            guard let pair = entry.arrayValue, pair.count == 2, let piece = pair[0].stringValue, let score = pair[1].doubleValue else {
                throw TokenizerError.badField(file: file, field: "model.vocab[\(i)]", reason: "expected [piece, score]")
            }
            pieces.append(piece)
            scores.append(score)
            totalBytes += piece.utf8.count
        }
        if let unk = json["unk_id"], !unk.isNull {
            guard let u = unk.intValue, u >= 0, u < pieces.count else {
                throw TokenizerError.badField(file: file, field: "model.unk_id", reason: "not an id of the vocabulary")
            }
            unkId = u
        } else {
            unkId = nil
        }
        if pieces.isEmpty && unkId != nil { throw TokenizerError.badField(file: file, field: "model.vocab", reason: "empty") }
        byteFallback = json["byte_fallback"]?.boolValue ?? false
        var trie = ByteTrie(expectedBytes: totalBytes)
        for (id, p) in pieces.enumerated() {
            var p = p
            guard p.withUTF8({ trie.insert($0, id: id) }) else {
                throw TokenizerError.badField(file: file, field: "model.vocab", reason: "too large for Kasane's trie")
            }
        }
        self.trie = trie
        self.pieces = pieces
        self.scores = scores
        unkScore = (scores.min() ?? 0) - 10.0
        var byteIds = [Int](repeating: -1, count: 256)
        for b in 0..<256 {
            let name = Array(byteTokenName(UInt8(b)).utf8)
            byteIds[b] = name.withUnsafeBufferPointer { trie.lookup($0) } ?? -1
        }
        self.byteIds = byteIds
    }

    func id(of token: String) -> Int? {
        Array(token.utf8).withUnsafeBufferPointer { trie.lookup($0) }
    }

    /// Appends the ids (and, when asked, the token strings) of one pre-tokenized piece.
    func tokenize(_ text: UnsafeBufferPointer<UInt8>, ids: inout [Int], tokens: inout [String]?) throws {
        let n = text.count
        if n == 0 { return }
        let best = UnsafeMutablePointer<Double>.allocate(capacity: n + 1)
        let from = UnsafeMutablePointer<Int32>.allocate(capacity: n + 1)
        let node = UnsafeMutablePointer<Int32>.allocate(capacity: n + 1)
        defer { best.deallocate(); from.deallocate(); node.deallocate() }
        best.initialize(repeating: 0, count: n + 1)
        from.initialize(repeating: -1, count: n + 1)
        node.initialize(repeating: 0, count: n + 1)
        let unkNode = Int32(unkId ?? -1)
        var missingUnk = false
        scores.withUnsafeBufferPointer { scores in
            var start = 0
            while start < n {
                let here = best[start]
                let mblen = utf8Length(text[start])
                var hasSingle = false
                trie.forEachPrefix(text, from: start) { length, id in
                    let end = start + length
                    let cand = here + scores[id]
                    if from[end] < 0 || cand > best[end] {
                        best[end] = cand; from[end] = Int32(start); node[end] = Int32(id)
                    }
                    if length == mblen { hasSingle = true }
                }
                if !hasSingle {
                    let end = min(start + mblen, n)
                    if unkNode < 0 { missingUnk = true }
                    let cand = here + unkScore
                    if from[end] < 0 || cand > best[end] {
                        best[end] = cand; from[end] = Int32(start); node[end] = unkNode
                    }
                }
                start += mblen
            }
        }
        // Backtrack: (start, end, id) with consecutive unknowns fused into one span.
        var spans: [(Int, Int, Int32)] = []
        var end = n
        while end > 0 {
            let s = Int(from[end])
            if s < 0 { break }
            let id = node[end]
            if id == unkNode, let last = spans.last, last.2 == unkNode {
                spans[spans.count - 1] = (s, last.1, unkNode)
            } else {
                spans.append((s, end, id))
            }
            end = s
        }
        if missingUnk && spans.contains(where: { $0.2 < 0 }) {
            throw TokenizerError.unknownCharacter(component: "Unigram model", text: String(decoding: text, as: UTF8.self))
        }
        for (s, e, id) in spans.reversed() {
            if id != unkNode {
                ids.append(Int(id))
                tokens?.append(pieces[Int(id)])
                continue
            }
            // A fused unknown run: the vocabulary may still hold the whole string.
            let slice = UnsafeBufferPointer(rebasing: text[s..<e])
            if let known = trie.lookup(slice) {
                ids.append(known)
                tokens?.append(pieces[known])
                continue
            }
            if byteFallback && slice.allSatisfy({ byteIds[Int($0)] >= 0 }) {
                for b in slice {
                    ids.append(byteIds[Int(b)])
                    tokens?.append(byteTokenName(b))
                }
                continue
            }
            ids.append(Int(unkNode))
            tokens?.append(String(decoding: slice, as: UTF8.self))
        }
    }
}

/// `<0xHH>` with upper-case hex, the byte-fallback token name.
func byteTokenName(_ b: UInt8) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    return String(decoding: [0x3C, 0x30, 0x78, hex[Int(b >> 4)], hex[Int(b & 15)], 0x3E], as: UTF8.self)
}
