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
    /// For chunks of the sequences in `counts`, the logits after each of their last `counts[sequence]` tokens (a
    /// prompt fed with its teacher-forced continuation); the last row for the others.
    case lastRows(counts: [Int: Int])

    /// How many of the last rows of `sequence`'s chunk get logits.
    func rowsWanted(sequence: Int) -> Int {
        switch self {
        case .none: 0
        case .lastOfEachChunk: 1
        case .all: Int.max
        case .lastRows(let counts): counts[sequence] ?? 1
        }
    }
}

/// Rows of one chunk that go into one pass.
struct PassPiece {
    let sequence: Int
    let tokens: ArraySlice<Int>
    let rowsAfter: Int  // the chunk's rows after this piece
}

/// A run of rows of one pass that belong to one sequence.
struct PassSegment {
    let sequence: Int
    let start: Int      // position of the first row
    let count: Int
    let rowOffset: Int  // first row in the pass
}

extension LlamaModel {
    /// Runs the model over new tokens of several sequences at once: attention runs per sequence over its own cache,
    /// and every row comes out exactly as it would with its chunk alone in the call (see `linear`), so
    /// results never depend on what else is batched with them. Appends K (after RoPE) and V to `cache`.
    public func forward(_ chunks: [SequenceChunk], cache: KVCache, logits selection: LogitsSelection) throws -> [[Float]] {
        try validate(chunks, cache: cache)
        // A chunk is cut into pieces of maxRowsPerPass rows from its own start (as it would be alone); pieces are
        // packed into passes of at most maxRowsPerPass rows.
        var result: [[Float]] = []
        var pending: [PassPiece] = []
        var rowsInPass = 0
        func flush() {
            guard !pending.isEmpty else { return }
            result.append(contentsOf: runPass(pending, cache: cache, selection: selection))
            pending.removeAll()
            rowsInPass = 0
        }
        for chunk in chunks {
            var rest = chunk.tokens[...]
            while !rest.isEmpty {
                let piece = rest.prefix(maxRowsPerPass)
                rest = rest.dropFirst(piece.count)
                // A sequence may appear only once per pass (its rows must be contiguous positions).
                if rowsInPass + piece.count > maxRowsPerPass || pending.contains(where: { $0.sequence == chunk.sequence }) {
                    flush()
                }
                pending.append(PassPiece(sequence: chunk.sequence, tokens: piece, rowsAfter: rest.count))
                rowsInPass += piece.count
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
        for s in 0..<cache.batch where cache.ownLength(s) + added[s] > cache.capacities[s] {
            throw LlamaError.invalidRequest("sequence \(s): \(cache.ownLength(s) + added[s]) positions (after a shared"
                + " prefix of \(cache.sharedLength(s))) exceed the KV cache capacity \(cache.capacities[s])")
        }
    }

    /// One pass over `pieces`; returns their logits rows (as `selection` asks) in the order of `pieces`.
    private func runPass(_ pieces: [PassPiece], cache: KVCache, selection: LogitsSelection) -> [[Float]] {
        var segments: [PassSegment] = []
        var tokens: [Int] = []
        var logitRows: [Int] = []  // the pass rows whose logits are wanted, in piece order
        for piece in pieces {
            let seg = PassSegment(sequence: piece.sequence, start: cache.lengths[piece.sequence],
                                  count: piece.tokens.count, rowOffset: tokens.count)
            segments.append(seg)
            tokens.append(contentsOf: piece.tokens)
            let wantedHere = min(seg.count, max(0, selection.rowsWanted(sequence: piece.sequence) - piece.rowsAfter))
            logitRows += (seg.rowOffset + seg.count - wantedHere)..<(seg.rowOffset + seg.count)
        }
        let ws = workspaces.take()
        defer { workspaces.give(ws) }
        let x = computeLayers(segments: segments, tokens: tokens, cache: cache, workspace: ws)
        for s in segments { cache.lengths[s.sequence] += s.count }
        return logitRows.isEmpty ? [] : lmHead(x, rows: logitRows, workspace: ws)
    }

    /// Every layer over `tokens` (rows grouped by segment); returns the last hidden states (in the workspace).
    private func computeLayers(segments: [PassSegment], tokens: [Int], cache: KVCache,
                               workspace ws: Workspace) -> UnsafeMutablePointer<Float> {
        let c = config
        let rows = tokens.count
        let h = c.hiddenSize, hd = c.headDim
        let qDim = c.numHeads * hd, kvDim = c.numKVHeads * hd, qkvDim = qDim + 2 * kvDim
        let inter = c.intermediateSize

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
            linear(rows: rows, a: xn, lda: h, w: layer.qkv, beta: 0, c: qkv, ldc: qkvDim)
            rotary.cos.withUnsafeBufferPointer { cosTable in
                rotary.sin.withUnsafeBufferPointer { sinTable in
                    rotateAndStoreKeysValues(qkv, rows: rows, rowStride: qkvDim, cos: cosTable, sin: sinTable,
                                             positions: positions, sequences: rowSequence, cache: cache,
                                             layer: layerIndex)
                }
            }
            attention(qkv: qkv, qkvStride: qkvDim, out: attn, segments: segments, cache: cache,
                      layer: layerIndex, workspace: ws)
            linear(rows: rows, a: attn, lda: qDim, w: layer.output, beta: 1, c: x, ldc: h)
            normRows(x, weight: layer.postNorm.pointer, rows: rows, width: h, eps: eps, into: xn)
            linear(rows: rows, a: xn, lda: h, w: layer.gateUp, beta: 0, c: gateUp, ldc: 2 * inter)
            let gu = gateUp
            forRows(rows, costPerRow: inter) { r in
                let g = gu + r * 2 * inter
                siluMultiply(gate: UnsafeMutableBufferPointer(start: g, count: inter),
                             up: UnsafeBufferPointer(start: g + inter, count: inter))
            }
            linear(rows: rows, a: gateUp, lda: 2 * inter, w: layer.down, beta: 1, c: x, ldc: h)
        }
        return x
    }

    /// Final norm and LM head for the selected rows only; returns their logits in the order of `rows`.
    private func lmHead(_ x: UnsafeMutablePointer<Float>, rows: [Int], workspace ws: Workspace) -> [[Float]] {
        let h = config.hiddenSize, vocab = config.vocabSize
        let selected = ws.buffer(.selected, count: rows.count * h)
        for (i, r) in rows.enumerated() { (selected + i * h).update(from: x + r * h, count: h) }
        normRows(selected, weight: weights.finalNorm.pointer, rows: rows.count, width: h,
                 eps: config.rmsNormEps, into: selected)
        let logits = ws.buffer(.logits, count: rows.count * vocab)
        linear(rows: rows.count, a: selected, lda: h, w: weights.lmHead, beta: 0, c: logits, ldc: vocab)
        return rows.indices.map { Array(UnsafeBufferPointer(start: logits + $0 * vocab, count: vocab)) }
    }

    private func normRows(_ x: UnsafeMutablePointer<Float>, weight: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                          eps: Float, into out: UnsafeMutablePointer<Float>) {
        let w = UnsafeBufferPointer(start: weight, count: width)
        forRows(rows, costPerRow: width) { r in
            rmsNorm(UnsafeBufferPointer(start: x + r * width, count: width), weight: w, eps: eps,
                    into: UnsafeMutableBufferPointer(start: out + r * width, count: width))
        }
    }

    /// RoPE on the query and key heads of every row (values are left as they are), then the row's keys and values
    /// into its sequence's cache: one pass over the rows, across threads, while each row is in cache.
    private func rotateAndStoreKeysValues(_ qkv: UnsafeMutablePointer<Float>, rows: Int, rowStride: Int,
                                          cos: UnsafeBufferPointer<Float>, sin: UnsafeBufferPointer<Float>,
                                          positions: [Int], sequences: [Int], cache: KVCache, layer: Int) {
        let hd = config.headDim, half = hd / 2, kvHeads = config.numKVHeads
        let headsToRotate = config.numHeads + kvHeads  // q heads, then k heads, are contiguous
        let kOffset = config.numHeads * hd, vOffset = kOffset + kvHeads * hd
        guard let cosBase = cos.baseAddress, let sinBase = sin.baseAddress else { return }
        positions.withUnsafeBufferPointer { positions in
            sequences.withUnsafeBufferPointer { sequences in
                forRows(rows, costPerRow: (headsToRotate + 2 * kvHeads) * hd) { r in
                    let row = qkv + r * rowStride
                    let c = UnsafeBufferPointer(start: cosBase + r * half, count: half)
                    let s = UnsafeBufferPointer(start: sinBase + r * half, count: half)
                    for head in 0..<headsToRotate {
                        applyRope(UnsafeMutableBufferPointer(start: row + head * hd, count: hd), cos: c, sin: s)
                    }
                    let sequence = sequences[r], position = positions[r]
                    for g in 0..<kvHeads {
                        let kv = cache.rows(sequence, layer: layer, head: g)
                        let own = position - kv.sharedCount  // new positions always follow the shared prefix
                        let key = row + kOffset + g * hd
                        for d in 0..<hd { kv.keys[d * kv.keyStride + own] = key[d] }  // transposed (KVCache)
                        (kv.values + own * hd).update(from: row + vOffset + g * hd, count: hd)
                    }
                }
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
