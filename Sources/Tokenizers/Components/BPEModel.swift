import JSON
/// The BPE model (tokenizers' `merge_word` + `merge_all`): one symbol per character, then repeatedly the
/// lowest-rank adjacent pair (leftmost on ties) is merged, via a priority queue.
final class BPEModel: @unchecked Sendable {
    private(set) var idToToken: [Int: String] = [:]
    private var vocab: ByteTrie
    private var merges: [UInt64: (rank: Int32, newId: Int32)] = [:]
    let unkToken: String?
    let continuingSubwordPrefix: String?
    let endOfWordSuffix: String?
    let fuseUnk: Bool
    let byteFallback: Bool
    let ignoreMerges: Bool
    private var byteIds = [Int](repeating: -1, count: 256)
    private let unkId: Int?

    init(json: JSONValue, file: String) throws {
        guard let vocabJSON = json["vocab"]?.objectValue else { throw TokenizerError.missingField(file: file, field: "model.vocab") }
        if let d = json["dropout"], !d.isNull, let p = d.doubleValue, p > 0 {
            throw TokenizerError.badField(file: file, field: "model.dropout", reason: "BPE dropout is not supported")
        }
        var total = 0
        for (k, _) in vocabJSON { total += k.utf8.count }
        vocab = ByteTrie(expectedBytes: total)
        var tokenToId: [String: Int] = [:]
        tokenToId.reserveCapacity(vocabJSON.count)
        for (token, v) in vocabJSON {
            guard let id = v.intValue, id >= 0 else {
                throw TokenizerError.badField(file: file, field: "model.vocab[\(token)]", reason: "not a non-negative integer id")
            }
            guard vocab.insert(Array(token.utf8), id: id) else {
                throw TokenizerError.badField(file: file, field: "model.vocab", reason: "too large for Kasane's trie")
            }
            idToToken[id] = token
            tokenToId[token] = id
        }
        func optString(_ key: String) -> String? { json[key]?.stringValue }
        unkToken = optString("unk_token")
        continuingSubwordPrefix = optString("continuing_subword_prefix")
        endOfWordSuffix = optString("end_of_word_suffix")
        fuseUnk = json["fuse_unk"]?.boolValue ?? false
        byteFallback = json["byte_fallback"]?.boolValue ?? false
        ignoreMerges = json["ignore_merges"]?.boolValue ?? false
        unkId = unkToken.flatMap { tokenToId[$0] }
        for b in 0..<256 { byteIds[b] = tokenToId[byteTokenName(UInt8(b))] ?? -1 }

        let mergesJSON = try json.required("merges", \.arrayValue, file: file, field: "model.merges")
        let prefixLength = continuingSubwordPrefix?.utf8.count ?? 0
        merges.reserveCapacity(mergesJSON.count)
        var rank: Int32 = 0
        for (i, m) in mergesJSON.enumerated() {
            let a: String, b: String
            if let line = m.stringValue {
                if i == 0 && line.hasPrefix("#version") { continue }
                let parts = line.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw TokenizerError.badField(file: file, field: "model.merges[\(i)]", reason: "expected 'a b'")
                }
                a = String(parts[0]); b = String(parts[1])
            } else if let pair = m.arrayValue, pair.count == 2, let x = pair[0].stringValue, let y = pair[1].stringValue {
                a = x; b = y
            } else {
                throw TokenizerError.badField(file: file, field: "model.merges[\(i)]", reason: "expected 'a b' or [a, b]")
            }
            guard let aId = tokenToId[a], let bId = tokenToId[b] else {
                throw TokenizerError.badField(file: file, field: "model.merges[\(i)]", reason: "token not in the vocabulary")
            }
            let merged = a + String(decoding: Array(b.utf8).dropFirst(prefixLength), as: UTF8.self)
            guard let newId = tokenToId[merged] else {
                throw TokenizerError.badField(file: file, field: "model.merges[\(i)]", reason: "merged token '\(merged)' not in the vocabulary")
            }
            merges[UInt64(aId) << 32 | UInt64(bId)] = (rank, Int32(newId))
            rank += 1
        }
    }

    func id(of token: String) -> Int? {
        Array(token.utf8).withUnsafeBufferPointer { vocab.lookup($0) }
    }

    private struct Symbol { var id: Int32; var prev: Int32; var next: Int32; var len: Int32 }

    private struct Candidate: Comparable {
        var rank: Int32; var pos: Int32; var newId: Int32
        static func < (l: Candidate, r: Candidate) -> Bool { l.rank != r.rank ? l.rank < r.rank : l.pos < r.pos }
    }

    func tokenize(_ text: UnsafeBufferPointer<UInt8>, ids: inout [Int], tokens: inout [String]?) throws {
        if text.isEmpty { return }
        if ignoreMerges, let id = vocab.lookup(text) {
            ids.append(id)
            tokens?.append(idToToken[id] ?? "")
            return
        }
        var symbols: [Symbol] = []
        symbols.reserveCapacity(text.count)
        var pendingUnk: (id: Int32, len: Int32)? = nil
        func add(_ id: Int32, _ len: Int32) {
            let i = Int32(symbols.count)
            symbols.append(Symbol(id: id, prev: i - 1, next: i + 1, len: len))
        }
        var i = 0
        var scratch: [UInt8] = []
        while i < text.count {
            let len = utf8Length(text[i])
            let isFirst = i == 0, isLast = i + len >= text.count
            scratch.removeAll(keepingCapacity: true)
            if !isFirst, let p = continuingSubwordPrefix { scratch.append(contentsOf: p.utf8) }
            scratch.append(contentsOf: text[i..<(i + len)])
            if isLast, let s = endOfWordSuffix { scratch.append(contentsOf: s.utf8) }
            if let id = scratch.withUnsafeBufferPointer({ vocab.lookup($0) }) {
                if let u = pendingUnk { add(u.id, u.len); pendingUnk = nil }
                add(Int32(id), Int32(len))
            } else if byteFallback && scratch.allSatisfy({ byteIds[Int($0)] >= 0 }) {
                // (tokenizers does not flush a pending unknown here; byte tokens are added directly.)
                for b in scratch { add(Int32(byteIds[Int(b)]), 1) }
            } else if unkToken != nil {
                guard let unkId else {
                    throw TokenizerError.badField(file: "tokenizer.json", field: "model.unk_token", reason: "not in the vocabulary")
                }
                if let u = pendingUnk {
                    if fuseUnk { pendingUnk = (u.id, u.len + Int32(len)) } else {
                        add(u.id, u.len); pendingUnk = (Int32(unkId), Int32(len))
                    }
                } else {
                    pendingUnk = (Int32(unkId), Int32(len))
                }
            }
            i += len
        }
        if let u = pendingUnk { add(u.id, u.len) }
        if symbols.isEmpty { return }
        symbols[symbols.count - 1].next = -1
        mergeAll(&symbols)
        var k = 0
        while k >= 0 && k < symbols.count {
            let s = symbols[k]
            ids.append(Int(s.id))
            tokens?.append(idToToken[Int(s.id)] ?? "")
            k = Int(s.next)
        }
    }

    private func mergeAll(_ symbols: inout [Symbol]) {
        var heap = MinHeap<Candidate>()
        for i in 0..<(symbols.count - 1) {
            if let m = merges[UInt64(UInt32(symbols[i].id)) << 32 | UInt64(UInt32(symbols[i + 1].id))] {
                heap.push(Candidate(rank: m.rank, pos: Int32(i), newId: m.newId))
            }
        }
        while let top = heap.pop() {
            let p = Int(top.pos)
            if symbols[p].len == 0 || symbols[p].next < 0 { continue }
            let nextPos = Int(symbols[p].next)
            let right = symbols[nextPos]
            guard let m = merges[UInt64(UInt32(symbols[p].id)) << 32 | UInt64(UInt32(right.id))], m.newId == top.newId else { continue }
            symbols[p].id = top.newId
            symbols[p].len += right.len
            symbols[p].next = right.next
            symbols[nextPos].len = 0
            if right.next >= 0 && Int(right.next) < symbols.count { symbols[Int(right.next)].prev = Int32(p) }
            let current = symbols[p]
            if current.prev >= 0 {
                let prev = Int(current.prev)
                if let m = merges[UInt64(UInt32(symbols[prev].id)) << 32 | UInt64(UInt32(current.id))] {
                    heap.push(Candidate(rank: m.rank, pos: Int32(prev), newId: m.newId))
                }
            }
            if current.next >= 0 && Int(current.next) < symbols.count {
                let next = Int(current.next)
                if let m = merges[UInt64(UInt32(current.id)) << 32 | UInt64(UInt32(symbols[next].id))] {
                    heap.push(Candidate(rank: m.rank, pos: Int32(p), newId: m.newId))
                }
            }
        }
    }
}

/// A binary min-heap.
struct MinHeap<T: Comparable> {
    private var items: [T] = []
    mutating func push(_ x: T) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[i] < items[parent] { items.swapAt(i, parent); i = parent } else { break }
        }
    }
    mutating func pop() -> T? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l] < items[m] { m = l }
                if r < items.count && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
        return first
    }
}
