import Foundation
import Linalg

/// Threads of Kasane's pool, which runs attention, elementwise work and the split GEMMs.
var threadCount: Int { Parallel.threadCount }

/// Rows `first..<first + count` (within the segment) of one segment: the unit of attention work.
private struct AttentionBlock {
    let segment: PassSegment
    let first: Int
    let count: Int
    /// Keys the block's last row sees.
    var visible: Int { segment.start + first + count }
}

extension LlamaModel {
    /// Causal attention of every segment's rows over its sequence's cache (positions `0...position` of each row),
    /// with GQA (query head j reads KV head j / (heads / kvHeads)) and an fp32 softmax. Writes `out[rows, heads·hd]`.
    ///
    /// One path for prompts and decoding: blocks of up to `attentionBlockRows` rows of a segment, per head. Every row
    /// is computed as if alone (see `sequentialGemm`), so a position's output is the same bits whether it
    /// came in a prompt, a decoding step or beside other sequences, and whether its first positions are a shared
    /// prefix, which is read in place.
    func attention(qkv: UnsafeMutablePointer<Float>, qkvStride: Int, out: UnsafeMutablePointer<Float>,
                   segments: [PassSegment], cache: KVCache, layer: Int, workspace: Workspace) {
        let heads = config.numHeads, blockRows = Self.attentionBlockRows
        var blocks: [AttentionBlock] = []
        for s in segments {
            for first in stride(from: 0, to: s.count, by: blockRows) {
                blocks.append(AttentionBlock(segment: s, first: first, count: min(blockRows, s.count - first)))
            }
        }
        // Costliest blocks first, dealt round-robin with the heads, so every worker gets an even share.
        blocks.sort { $0.count * $0.visible > $1.count * $1.visible }
        let items = blocks.count * heads
        let work = blocks.reduce(0) { $0 + $1.count * $1.visible } * heads * config.headDim
        let workers = work < 1 << 16 ? 1 : min(items, 4 * threadCount)
        let scoresPerWorker = blocks.map { $0.count * $0.visible }.max() ?? 0
        let scores = workspace.buffer(.scores, count: workers * scoresPerWorker)
        let body = { (worker: Int) in
            var item = worker
            while item < items {
                self.attend(blocks[item / heads], head: item % heads, qkv: qkv, qkvStride: qkvStride, out: out,
                       cache: cache, layer: layer, scores: scores + worker * scoresPerWorker)
                item += workers
            }
        }
        if workers == 1 { body(0) } else { parallelFor(0..<workers, body: body) }
    }

    /// Query rows per attention block: enough to reuse each key and value row across rows while it is in cache,
    /// few enough that little of the block's scores is masked. Not part of the numerics (rows are independent).
    static var attentionBlockRows: Int { 64 }

    /// One block of one head, on the calling thread: scores against the keys the block's last row sees (shared
    /// prefix, then the sequence's own), softmax over each row's own keys, zero weight on the later ones, P·V.
    private func attend(_ block: AttentionBlock, head: Int, qkv: UnsafeMutablePointer<Float>, qkvStride: Int,
                        out: UnsafeMutablePointer<Float>, cache: KVCache, layer: Int,
                        scores: UnsafeMutablePointer<Float>) {
        let hd = config.headDim, outStride = config.numHeads * hd
        let s = block.segment, n = block.count, visible = block.visible
        let firstRow = s.rowOffset + block.first, firstPosition = s.start + block.first
        let kv = cache.rows(s.sequence, layer: layer, head: head / (config.numHeads / config.numKVHeads))
        let shared = kv.sharedCount  // new rows always follow the shared prefix: shared < visible
        let q = qkv + firstRow * qkvStride + head * hd
        sequentialGemm(m: n, n: shared, k: hd, a: q, lda: qkvStride, b: kv.sharedKeys, ldb: kv.sharedKeyStride,
                       accumulate: false, c: scores, ldc: visible)
        sequentialGemm(m: n, n: visible - shared, k: hd, a: q, lda: qkvStride, b: kv.keys, ldb: kv.keyStride,
                       accumulate: false, c: scores + shared, ldc: visible)
        causalSoftmax(scores, ld: visible, rows: n, firstSeen: firstPosition + 1, visible: visible,
                      scale: 1 / Float(hd).squareRoot())
        let o = out + firstRow * outStride + head * hd
        sequentialGemm(m: n, n: hd, k: shared, a: scores, lda: visible, b: kv.sharedValues, ldb: hd,
                       accumulate: false, c: o, ldc: outStride)
        sequentialGemm(m: n, n: hd, k: visible - shared, a: scores + shared, lda: visible, b: kv.values, ldb: hd,
                       accumulate: true, c: o, ldc: outStride)
    }
}
