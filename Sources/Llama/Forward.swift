import Linalg

/// Tokens to append to one sequence of a KV cache, at positions `cache.lengths[sequence]...`.
public struct SequenceChunk: Sendable, Equatable {
    public var sequence: Int
    public var tokens: [Int]
    public init(sequence: Int, tokens: [Int]) {
        self.sequence = sequence
        self.tokens = tokens
    }
}

/// Which positions get logits (the LM head is the largest single GEMM: compute it only where needed).
public enum LogitsSelection: Sendable {
    case none
    /// One row per chunk: the logits after its last token (prefill and decoding).
    case lastOfEachChunk
    /// One row per token, chunks in order.
    case all
    /// One row per token for chunks of these sequences (teacher-forced scoring), the last row for the others.
    case allOf(sequences: Set<Int>)
}

/// A run of rows of one pass that belong to one sequence.
struct PassSegment {
    let sequence: Int
    let start: Int      // position of the first row
    let count: Int
    let rowOffset: Int  // first row in the pass
}

extension LlamaModel {
    /// Runs the model over new tokens of several sequences at once: every linear layer is one GEMM over all rows,
    /// attention runs per sequence over its own cache. Appends K (after RoPE) and V to `cache`.
    public func forward(_ chunks: [SequenceChunk], cache: KVCache, logits selection: LogitsSelection) throws -> [[Float]] {
        try validate(chunks, cache: cache)
        // Cut the chunks into passes of at most maxRowsPerPass rows; a long chunk spans several passes.
        var result: [[Float]] = []
        var pending: [(sequence: Int, tokens: ArraySlice<Int>, last: Bool)] = []
        var rowsInPass = 0
        func flush() {
            guard !pending.isEmpty else { return }
            var segments: [PassSegment] = []
            var tokens: [Int] = []
            var wanted: [Int] = []
            for p in pending {
                let seg = PassSegment(sequence: p.sequence, start: cache.lengths[p.sequence], count: p.tokens.count,
                                      rowOffset: tokens.count)
                segments.append(seg)
                tokens.append(contentsOf: p.tokens)
                switch selection {
                case .none: break
                case .lastOfEachChunk: if p.last { wanted.append(seg.rowOffset + seg.count - 1) }
                case .all: wanted.append(contentsOf: seg.rowOffset..<(seg.rowOffset + seg.count))
                case .allOf(let scored):
                    if scored.contains(p.sequence) { wanted.append(contentsOf: seg.rowOffset..<(seg.rowOffset + seg.count)) }
                    else if p.last { wanted.append(seg.rowOffset + seg.count - 1) }
                }
            }
            result.append(contentsOf: runPass(segments: segments, tokens: tokens, cache: cache, logitRows: wanted))
            for s in segments { cache.lengths[s.sequence] += s.count }
            pending.removeAll()
            rowsInPass = 0
        }
        for chunk in chunks {
            var rest = chunk.tokens[...]
            while !rest.isEmpty {
                let take = min(rest.count, maxRowsPerPass - rowsInPass)
                let piece = rest.prefix(take)
                rest = rest.dropFirst(take)
                // A sequence may appear only once per pass (its rows must be contiguous positions).
                if pending.contains(where: { $0.sequence == chunk.sequence }) { flush() }
                pending.append((chunk.sequence, piece, rest.isEmpty))
                rowsInPass += piece.count
                if rowsInPass >= maxRowsPerPass { flush() }
            }
        }
        flush()
        return result
    }

    private func validate(_ chunks: [SequenceChunk], cache: KVCache) throws {
        guard cache.numLayers == config.numLayers, cache.numKVHeads == config.numKVHeads,
              cache.headDim == config.headDim else {
            throw LlamaError.invalidRequest("KV cache was made for a different model shape")
        }
        var added = [Int](repeating: 0, count: cache.batch)
        for c in chunks {
            guard c.sequence >= 0, c.sequence < cache.batch else {
                throw LlamaError.invalidRequest("sequence \(c.sequence) is outside the cache's batch of \(cache.batch)")
            }
            for t in c.tokens where t < 0 || t >= config.vocabSize {
                throw LlamaError.tokenOutOfRange(id: t, vocabSize: config.vocabSize)
            }
            added[c.sequence] += c.tokens.count
        }
        for s in 0..<cache.batch where cache.lengths[s] + added[s] > cache.capacities[s] {
            throw LlamaError.invalidRequest(
                "sequence \(s): \(cache.lengths[s] + added[s]) positions exceed the KV cache capacity \(cache.capacities[s])")
        }
    }

    /// One pass over `tokens` (rows grouped by segment). Returns logits for `logitRows`, in that order.
    private func runPass(segments: [PassSegment], tokens: [Int], cache: KVCache, logitRows: [Int]) -> [[Float]] {
        let c = config
        let rows = tokens.count
        let h = c.hiddenSize, hd = c.headDim
        let qDim = c.numHeads * hd, kvDim = c.numKVHeads * hd, qkvDim = qDim + 2 * kvDim
        let inter = c.intermediateSize

        let ws = workspaces.take()
        defer { workspaces.give(ws) }
        let x = ws.buffer(.hidden, count: rows * h)
        let xn = ws.buffer(.normed, count: rows * h)
        let qkv = ws.buffer(.qkv, count: rows * qkvDim)
        let attn = ws.buffer(.attention, count: rows * qDim)
        let gateUp = ws.buffer(.gateUp, count: rows * 2 * inter)

        var positions = [Int](repeating: 0, count: rows)
        var rowSequence = [Int](repeating: 0, count: rows)
        for s in segments {
            for i in 0..<s.count {
                positions[s.rowOffset + i] = s.start + i
                rowSequence[s.rowOffset + i] = s.sequence
            }
        }
        let rotary = RotaryTable(inverseFrequencies: inverseFrequencies, positions: positions)
        for (r, t) in tokens.enumerated() { weights.embedding.copyRow(t, into: x + r * h) }

        let eps = c.rmsNormEps
        for (layerIndex, layer) in weights.layers.enumerated() {
            normRows(x, weight: layer.inputNorm.pointer, rows: rows, width: h, eps: eps, into: xn)
            linear(m: rows, a: xn, lda: h, w: layer.qkv, beta: 0, c: qkv, ldc: qkvDim, workspace: ws)
            rotary.cos.withUnsafeBufferPointer { cosTable in
                rotary.sin.withUnsafeBufferPointer { sinTable in
                    applyRotary(qkv, rows: rows, rowStride: qkvDim, cos: cosTable, sin: sinTable)
                }
            }
            storeKeysValues(qkv, rows: rows, rowStride: qkvDim, positions: positions, sequences: rowSequence,
                            cache: cache, layer: layerIndex)
            attention(qkv: qkv, qkvStride: qkvDim, out: attn, segments: segments, cache: cache,
                      layer: layerIndex, workspace: ws)
            linear(m: rows, a: attn, lda: qDim, w: layer.output, beta: 1, c: x, ldc: h, workspace: ws)
            normRows(x, weight: layer.postNorm.pointer, rows: rows, width: h, eps: eps, into: xn)
            linear(m: rows, a: xn, lda: h, w: layer.gateUp, beta: 0, c: gateUp, ldc: 2 * inter, workspace: ws)
            let gu = gateUp
            forRows(rows, costPerRow: inter) { r in
                let g = gu + r * 2 * inter
                siluMultiply(gate: UnsafeMutableBufferPointer(start: g, count: inter),
                             up: UnsafeBufferPointer(start: g + inter, count: inter))
            }
            linear(m: rows, a: gateUp, lda: 2 * inter, w: layer.down, beta: 1, c: x, ldc: h, workspace: ws)
        }
        guard !logitRows.isEmpty else { return [] }
        return lmHead(x, rows: logitRows, workspace: ws)
    }

    /// Final norm and LM head for the selected rows only.
    private func lmHead(_ x: UnsafeMutablePointer<Float>, rows: [Int], workspace ws: Workspace) -> [[Float]] {
        let h = config.hiddenSize, vocab = config.vocabSize
        let selected = ws.buffer(.selected, count: rows.count * h)
        for (i, r) in rows.enumerated() { (selected + i * h).update(from: x + r * h, count: h) }
        normRows(selected, weight: weights.finalNorm.pointer, rows: rows.count, width: h,
                 eps: config.rmsNormEps, into: selected)
        let logits = ws.buffer(.logits, count: rows.count * vocab)
        linear(m: rows.count, a: selected, lda: h, w: weights.lmHead, beta: 0, c: logits, ldc: vocab, workspace: ws)
        return (0..<rows.count).map { i in Array(UnsafeBufferPointer(start: logits + i * vocab, count: vocab)) }
    }

    private func normRows(_ x: UnsafeMutablePointer<Float>, weight: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                          eps: Float, into out: UnsafeMutablePointer<Float>) {
        let w = UnsafeBufferPointer(start: weight, count: width)
        forRows(rows, costPerRow: width) { r in
            rmsNorm(UnsafeBufferPointer(start: x + r * width, count: width), weight: w, eps: eps,
                    into: UnsafeMutableBufferPointer(start: out + r * width, count: width))
        }
    }

    /// RoPE on the query and key heads of every row (values are left as they are).
    private func applyRotary(_ qkv: UnsafeMutablePointer<Float>, rows: Int, rowStride: Int,
                             cos: UnsafeBufferPointer<Float>, sin: UnsafeBufferPointer<Float>) {
        let hd = config.headDim, half = hd / 2
        let headsToRotate = config.numHeads + config.numKVHeads  // q heads, then k heads, are contiguous
        guard let cosBase = cos.baseAddress, let sinBase = sin.baseAddress else { return }
        forRows(rows, costPerRow: headsToRotate * hd) { r in
            let c = UnsafeBufferPointer(start: cosBase + r * half, count: half)
            let s = UnsafeBufferPointer(start: sinBase + r * half, count: half)
            for head in 0..<headsToRotate {
                applyRope(UnsafeMutableBufferPointer(start: qkv + r * rowStride + head * hd, count: hd), cos: c, sin: s)
            }
        }
    }

    private func storeKeysValues(_ qkv: UnsafeMutablePointer<Float>, rows: Int, rowStride: Int, positions: [Int],
                                 sequences: [Int], cache: KVCache, layer: Int) {
        let hd = config.headDim, kvHeads = config.numKVHeads
        let kOffset = config.numHeads * hd, vOffset = kOffset + kvHeads * hd
        for r in 0..<rows {
            let row = qkv + r * rowStride
            let s = sequences[r], p = positions[r]
            for g in 0..<kvHeads {
                (cache.keys(s, layer: layer, head: g) + p * hd).update(from: row + kOffset + g * hd, count: hd)
                (cache.values(s, layer: layer, head: g) + p * hd).update(from: row + vOffset + g * hd, count: hd)
            }
        }
    }

    /// Runs `body` for every row, across threads when there is enough work to pay for them.
    func forRows(_ rows: Int, costPerRow: Int, _ body: (Int) -> Void) {
        if rows * costPerRow < 1 << 15 || rows < 2 {
            for r in 0..<rows { body(r) }
            return
        }
        let workers = min(rows, 2 * max(1, threadCount))
        let per = (rows + workers - 1) / workers
        parallelFor(0..<workers) { w in
            let lo = w * per, hi = min(rows, lo + per)
            if lo < hi { for r in lo..<hi { body(r) } }
        }
    }
}
