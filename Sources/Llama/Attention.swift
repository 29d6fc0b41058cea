import Foundation
import Linalg

/// Threads of Kasane's pool, which runs attention, elementwise work and the split GEMMs.
var threadCount: Int { Parallel.threadCount }

extension LlamaModel {
    /// Causal attention of every segment's rows over its sequence's cache (positions `0...position` of each row),
    /// with GQA (query head j reads KV head j / (heads / kvHeads)) and an fp32 softmax. Writes `out[rows, heads·hd]`.
    func attention(qkv: UnsafeMutablePointer<Float>, qkvStride: Int, out: UnsafeMutablePointer<Float>,
                   segments: [PassSegment], cache: KVCache, layer: Int, workspace: Workspace) {
        // Long query runs (prefill) go through GEMM per head; short ones (decoding) through loops spread over
        // threads by (segment, head).
        var small: [PassSegment] = []
        for s in segments {
            if s.count >= 16 { attendWithGemm(qkv: qkv, qkvStride: qkvStride, out: out, segment: s, cache: cache, layer: layer, workspace: workspace) }
            else { small.append(s) }
        }
        if !small.isEmpty { attendWithLoops(qkv: qkv, qkvStride: qkvStride, out: out, segments: small, cache: cache, layer: layer, workspace: workspace) }
    }

    /// One segment's attention as GEMMs: per head, blocks of `gemmBlockRows` query rows, Q·Kᵀ over the keys the
    /// block's last row sees (fully masked key blocks are skipped), softmax rows, P·V. The (head, block) items run
    /// in parallel on Kasane's pool, each product single-threaded, instead of one after another on OpenBLAS's
    /// threads (small products spend much of their time waking and waiting for them). Every product has the same
    /// arguments either way, so the results are the same bits.
    private func attendWithGemm(qkv: UnsafeMutablePointer<Float>, qkvStride: Int, out: UnsafeMutablePointer<Float>,
                                segment s: PassSegment, cache: KVCache, layer: Int, workspace: Workspace) {
        let heads = config.numHeads, blockRows = Self.gemmBlockRows
        let keysTotal = s.start + s.count
        let kvRows = (0..<config.numKVHeads).map { cache.rows(s.sequence, layer: layer, head: $0) }
        let keysValues = kvRows.indices.map {
            contiguousKeysValues(kvRows[$0], kvHead: $0, count: keysTotal, workspace: workspace)
        }
        if kvRows[0].sharedCount > 0 {  // a whole few-shot prefix per KV head: copy them in parallel too
            parallelFor(kvRows.indices) { gather(kvRows[$0], count: keysTotal, into: keysValues[$0]) }
        }
        let blocks = (s.count + blockRows - 1) / blockRows
        let items = heads * blocks
        // Items are ordered costliest block first and dealt round-robin, so every worker gets an even share.
        let workers = threadCount == 1 ? 1 : min(items, 4 * threadCount)
        let scoresPerWorker = min(blockRows, s.count) * keysTotal
        let scores = workspace.buffer(.scores, count: workers * scoresPerWorker)
        // Runs inside the pass's `BLAS.singleThreaded` scope: each block's products are single-threaded OpenBLAS.
        parallelFor(0..<workers) { worker in
            var item = worker
            while item < items {
                let block = blocks - 1 - item / heads, head = item % heads
                let (keys, values) = keysValues[head / (heads / config.numKVHeads)]
                attendBlock(qkv: qkv, qkvStride: qkvStride, out: out, segment: s, head: head,
                            firstRow: block * blockRows, keys: keys, values: values,
                            scores: scores + worker * scoresPerWorker)
                item += workers
            }
        }
    }

    /// Query rows per attention block on the GEMM path (part of the numerics: it sets how many keys P·V sums).
    static var gemmBlockRows: Int { 128 }

    /// Rows `firstRow..<firstRow + gemmBlockRows` (within the segment) of one head, on the calling thread.
    private func attendBlock(qkv: UnsafeMutablePointer<Float>, qkvStride: Int, out: UnsafeMutablePointer<Float>,
                             segment s: PassSegment, head: Int, firstRow: Int, keys: UnsafePointer<Float>,
                             values: UnsafePointer<Float>, scores: UnsafeMutablePointer<Float>) {
        let hd = config.headDim, outStride = config.numHeads * hd
        let scale = 1 / Float(hd).squareRoot()
        let n = min(Self.gemmBlockRows, s.count - firstRow)
        let visible = s.start + firstRow + n  // keys the last row of the block sees
        let q = qkv + (s.rowOffset + firstRow) * qkvStride + head * hd
        gemmTransposedB(m: n, n: visible, k: hd, alpha: scale, a: q, lda: qkvStride, b: keys, ldb: hd,
                        beta: 0, c: scores, ldc: visible)
        let blockStart = s.start + firstRow
        for i in 0..<n {
            let row = scores + i * visible
            let seen = blockStart + i + 1
            softmaxInPlace(UnsafeMutableBufferPointer(start: row, count: seen))
            if seen < visible { (row + seen).update(repeating: 0, count: visible - seen) }
        }
        gemm(m: n, n: hd, k: visible, a: scores, lda: visible, b: values, ldb: hd, beta: 0,
             c: out + (s.rowOffset + firstRow) * outStride + head * hd, ldc: outStride)
    }

    /// Keys and values of positions `0..<count` as two contiguous `[count][headDim]` blocks, so that Q·Kᵀ and P·V
    /// stay one GEMM each over all of them (split calls would sum in another order): the sequence's own rows when
    /// it has no shared prefix, else the KV head's block of the workspace (scratch of this call, not of the
    /// sequence), which `gather` fills.
    private func contiguousKeysValues(_ rows: KVRows, kvHead: Int, count: Int,
                                      workspace: Workspace) -> (keys: UnsafePointer<Float>, values: UnsafePointer<Float>) {
        guard rows.sharedCount > 0 else { return (UnsafePointer(rows.keys), UnsafePointer(rows.values)) }
        let hd = config.headDim
        let perHead = 2 * count * hd  // every KV head has its own block: heads run in parallel
        let keys = workspace.buffer(.gatheredKeysValues, count: config.numKVHeads * perHead) + kvHead * perHead
        return (UnsafePointer(keys), UnsafePointer(keys + count * hd))
    }

    /// Copies the shared positions, then the sequence's own, into the block `contiguousKeysValues` gave.
    private func gather(_ rows: KVRows, count: Int, into block: (keys: UnsafePointer<Float>, values: UnsafePointer<Float>)) {
        let hd = config.headDim, shared = rows.sharedCount * hd, own = (count - rows.sharedCount) * hd
        let keys = UnsafeMutablePointer(mutating: block.keys), values = UnsafeMutablePointer(mutating: block.values)
        keys.update(from: rows.sharedKeys, count: shared)
        (keys + shared).update(from: rows.keys, count: own)
        values.update(from: rows.sharedValues, count: shared)
        (values + shared).update(from: rows.values, count: own)
    }

    private func attendWithLoops(qkv: UnsafeMutablePointer<Float>, qkvStride: Int, out: UnsafeMutablePointer<Float>,
                                 segments: [PassSegment], cache: KVCache, layer: Int, workspace: Workspace) {
        let hd = config.headDim, heads = config.numHeads, group = heads / config.numKVHeads
        let outStride = heads * hd
        let scale = 1 / Float(hd).squareRoot()
        let maxKeys = segments.map { $0.start + $0.count }.max() ?? 0
        let items = segments.count * heads
        let work = segments.reduce(0) { $0 + $1.count * ($1.start + $1.count) } * heads * hd
        let workers = work < 1 << 16 ? 1 : min(items, 4 * threadCount)
        let sp = workspace.buffer(.scores, count: workers * maxKeys)
        let body = { (worker: Int) in
            let scores = sp + worker * maxKeys
            var item = worker
            while item < items {
                let s = segments[item / heads], head = item % heads
                let kv = cache.rows(s.sequence, layer: layer, head: head / group)
                let shared = kv.sharedCount
                for i in 0..<s.count {
                    let q = qkv + (s.rowOffset + i) * qkvStride + head * hd
                    let seen = s.start + i + 1
                    // Shared-prefix positions, then the sequence's own: the same positions in the same order.
                    for t in 0..<shared { scores[t] = dot(q, kv.sharedKeys + t * hd, hd) * scale }
                    for t in shared..<seen { scores[t] = dot(q, kv.keys + (t - shared) * hd, hd) * scale }
                    softmaxInPlace(UnsafeMutableBufferPointer(start: scores, count: seen))
                    let o = out + (s.rowOffset + i) * outStride + head * hd
                    o.update(repeating: 0, count: hd)
                    for t in 0..<shared { axpy(scores[t], kv.sharedValues + t * hd, o, hd) }
                    for t in shared..<seen { axpy(scores[t], kv.values + (t - shared) * hd, o, hd) }
                }
                item += workers
            }
        }
        if workers == 1 { body(0) } else { parallelFor(0..<workers, body: body) }
    }
}

@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= n {
        acc += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
            * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var sum = acc.sum()
    while i < n { sum += a[i] * b[i]; i += 1 }
    return sum
}

/// y += alpha · x
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    let a8 = SIMD8<Float>(repeating: alpha)
    var i = 0
    while i + 8 <= n {
        let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            + a8 * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: v, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n { y[i] += alpha * x[i]; i += 1 }
}
