import Foundation
import Linalg

/// Threads of Kasane's pool, which runs attention, elementwise work and the split GEMMs.
var threadCount: Int { Parallel.threadCount }

/// Rows `first..<first + count` (within the segment) of one segment.
private struct AttentionPiece {
    let segment: PassSegment
    let first: Int
    let count: Int
    /// Keys the piece's last row sees.
    var visible: Int { segment.start + first + count }
}

/// The unit of attention work: rows that read their shared prefix's keys and values together. Either one piece of
/// a segment, or small pieces (decoding rows, short continuations) of sequences that start from the same shared
/// prefix, which then multiply it as one matrix instead of each row rereading it alone.
private struct AttentionBlock {
    private(set) var pieces: [AttentionPiece]
    private(set) var rows: Int
    private(set) var widest: Int  // keys the most-seeing row sees
    private(set) var cost: Int    // rows × keys, what the products cost

    init(_ piece: AttentionPiece) {
        pieces = [piece]
        rows = piece.count
        widest = piece.visible
        cost = piece.count * piece.visible
    }

    mutating func append(_ piece: AttentionPiece) {
        pieces.append(piece)
        rows += piece.count
        widest = max(widest, piece.visible)
        cost += piece.count * piece.visible
    }
}

extension LlamaModel {
    /// Causal attention of every segment's rows over its sequence's cache (positions `0...position` of each row),
    /// with GQA (query head j reads KV head j / (heads / kvHeads)) and an fp32 softmax. Writes `out[rows, heads·hd]`.
    ///
    /// One path for prompts and decoding: blocks of up to `attentionBlockRows` rows, per head. Every row is computed
    /// as if alone (see `sequentialGemm`), so a position's output is the same bits whether it came in a prompt, a
    /// decoding step or beside other sequences, whether its first positions are a shared prefix, which is read in
    /// place, and whichever rows of other sequences its block holds.
    func attention(qkv: UnsafeMutablePointer<Float>, qkvStride: Int, out: UnsafeMutablePointer<Float>,
                   segments: [PassSegment], cache: KVCache, layer: Int, workspace: Workspace) {
        let heads = config.numHeads, hd = config.headDim
        var blocks = attentionBlocks(segments, cache: cache)
        // Costliest blocks first, dealt round-robin with the heads, so every worker gets an even share.
        blocks.sort { $0.cost > $1.cost }
        let items = blocks.count * heads
        let work = blocks.reduce(0) { $0 + $1.cost } * heads * hd
        let workers = work < 1 << 16 ? 1 : min(items, 4 * threadCount)
        // Per worker: the scores, then the block's query rows and output rows, each gathered contiguous.
        let scoresCount = blocks.map { $0.rows * $0.widest }.max() ?? 0
        let rowsCount = blocks.map(\.rows).max() ?? 0
        let perWorker = scoresCount + 2 * rowsCount * hd
        let scratch = workspace.buffer(.scores, count: workers * perWorker)
        let body = { (worker: Int) in
            let scores = scratch + worker * perWorker
            var item = worker
            while item < items {
                self.attend(blocks[item / heads], head: item % heads, qkv: qkv, qkvStride: qkvStride, out: out,
                            cache: cache, layer: layer, scores: scores, queries: scores + scoresCount,
                            outputs: scores + scoresCount + rowsCount * hd)
                item += workers
            }
        }
        if workers == 1 { body(0) } else { parallelFor(0..<workers, body: body) }
    }

    /// Query rows per attention block: enough to reuse each key and value row across rows while it is in cache,
    /// few enough that little of the block's scores is masked. Not part of the numerics (rows are independent).
    static var attentionBlockRows: Int { 64 }

    /// Pieces of fewer rows than this share a block with others that start from the same shared prefix.
    static var attentionGroupedBelow: Int { 16 }

    /// Every segment cut into pieces of up to `attentionBlockRows` rows; small pieces with a shared prefix gathered
    /// into blocks by prefix, each block up to `attentionBlockRows` rows.
    private func attentionBlocks(_ segments: [PassSegment], cache: KVCache) -> [AttentionBlock] {
        let limit = Self.attentionBlockRows
        var blocks: [AttentionBlock] = []
        var filling: [KVCache.SharedPrefixKey: Int] = [:]  // the block still taking rows, per shared prefix
        for s in segments {
            for first in stride(from: 0, to: s.count, by: limit) {
                let piece = AttentionPiece(segment: s, first: first, count: min(limit, s.count - first))
                guard piece.count < Self.attentionGroupedBelow, let key = cache.sharedPrefixKey(s.sequence) else {
                    blocks.append(AttentionBlock(piece))
                    continue
                }
                if let b = filling[key], blocks[b].rows + piece.count <= limit {
                    blocks[b].append(piece)
                } else {
                    filling[key] = blocks.count
                    blocks.append(AttentionBlock(piece))
                }
            }
        }
        return blocks
    }

    /// One block of one head, on the calling thread: scores against the shared prefix for all of the block's rows at
    /// once, then against each piece's own keys (as far as its last row sees), softmax over each row's own keys with
    /// zero weight on later ones, and P·V the same way. A block of several pieces gathers its query rows into
    /// `queries` and its output rows into `outputs` (then puts them back); one piece reads and writes in place.
    private func attend(_ block: AttentionBlock, head: Int, qkv: UnsafeMutablePointer<Float>, qkvStride: Int,
                        out: UnsafeMutablePointer<Float>, cache: KVCache, layer: Int,
                        scores: UnsafeMutablePointer<Float>, queries: UnsafeMutablePointer<Float>,
                        outputs: UnsafeMutablePointer<Float>) {
        let hd = config.headDim, outStride = config.numHeads * hd, ld = block.widest
        let kvHead = head / (config.numHeads / config.numKVHeads)
        let scale = 1 / Float(hd).squareRoot()
        let pieces = block.pieces
        func queryRow(_ p: AttentionPiece) -> UnsafeMutablePointer<Float> {
            qkv + (p.segment.rowOffset + p.first) * qkvStride + head * hd
        }
        func outputRow(_ p: AttentionPiece) -> UnsafeMutablePointer<Float> {
            out + (p.segment.rowOffset + p.first) * outStride + head * hd
        }
        let gathered = pieces.count > 1
        let (q, ldq) = gathered ? (queries, hd) : (queryRow(pieces[0]), qkvStride)
        let (o, ldo) = gathered ? (outputs, hd) : (outputRow(pieces[0]), outStride)
        if gathered {
            var row = 0
            for p in pieces {
                for r in 0..<p.count { (q + (row + r) * ldq).update(from: queryRow(p) + r * qkvStride, count: hd) }
                row += p.count
            }
        }
        // Every piece of a block has the same shared prefix (or is alone): the first piece's serves them all.
        let prefix = cache.rows(pieces[0].segment.sequence, layer: layer, head: kvHead)
        let shared = prefix.sharedCount  // new rows always follow the shared prefix: shared < visible
        sequentialGemm(m: block.rows, n: shared, k: hd, a: q, lda: ldq, b: prefix.sharedKeys,
                       ldb: prefix.sharedKeyStride, accumulate: false, c: scores, ldc: ld)
        var row = 0
        for p in pieces {
            let kv = cache.rows(p.segment.sequence, layer: layer, head: kvHead)
            sequentialGemm(m: p.count, n: p.visible - shared, k: hd, a: q + row * ldq, lda: ldq, b: kv.keys,
                           ldb: kv.keyStride, accumulate: false, c: scores + row * ld + shared, ldc: ld)
            causalSoftmax(scores + row * ld, ld: ld, rows: p.count, firstSeen: p.segment.start + p.first + 1,
                          visible: p.visible, scale: scale)
            row += p.count
        }
        sequentialGemm(m: block.rows, n: hd, k: shared, a: scores, lda: ld, b: prefix.sharedValues, ldb: hd,
                       accumulate: false, c: o, ldc: ldo)
        row = 0
        for p in pieces {
            let kv = cache.rows(p.segment.sequence, layer: layer, head: kvHead)
            sequentialGemm(m: p.count, n: hd, k: p.visible - shared, a: scores + row * ld + shared, lda: ld,
                           b: kv.values, ldb: hd, accumulate: true, c: o + row * ldo, ldc: ldo)
            if gathered {
                for r in 0..<p.count { (outputRow(p) + r * outStride).update(from: o + (row + r) * ldo, count: hd) }
            }
            row += p.count
        }
    }
}
