/// A trie over pieces written as arrays of small character ids, for common-prefix search in the lattice.
struct PieceTrie {
    private var children: [[Int32: Int32]] = [[:]]
    private var pieceAt: [Int32] = [-1]

    init(pieces: [[Int32]]) {
        for (index, piece) in pieces.enumerated() { insert(piece, index: Int32(index)) }
    }

    private mutating func insert(_ piece: [Int32], index: Int32) {
        var node: Int32 = 0
        for c in piece {
            if let next = children[Int(node)][c] {
                node = next
            } else {
                let next = Int32(children.count)
                children.append([:])
                pieceAt.append(-1)
                children[Int(node)][c] = next
                node = next
            }
        }
        pieceAt[Int(node)] = index
    }

    /// Calls `body(pieceIndex, end)` for every piece that starts at `start` in `text`.
    func forEachPrefix(of text: [Int32], from start: Int, _ body: (Int, Int) -> Void) {
        var node: Int32 = 0
        var i = start
        while i < text.count, let next = children[Int(node)][text[i]] {
            node = next
            i += 1
            let piece = pieceAt[Int(node)]
            if piece >= 0 { body(Int(piece), i) }
        }
    }
}
