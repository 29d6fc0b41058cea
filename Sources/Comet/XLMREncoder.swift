import Foundation
import Linalg
import TorchCheckpoint

/// The XLM-R encoder as transformers' `XLMRobertaModel` (post-LN BERT layers, erf GELU, learned absolute
/// positions numbered from `padding_idx + 1`), returning every hidden state as COMET's layer mix needs them.
struct XLMREncoder: Sendable {
    struct Layer: Sendable {
        let query, key, value, attentionOutput: Linear
        let attentionNorm: LayerNorm
        let intermediate, output: Linear
        let outputNorm: LayerNorm
    }

    let config: XLMRConfig
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    let tokenTypeEmbedding: [Float]
    let embeddingNorm: LayerNorm
    let layers: [Layer]
    let vocabSize: Int

    /// Weights under `prefix` (COMET: "encoder.model.").
    init(config c: XLMRConfig, weights w: WeightReader, prefix: String) throws {
        config = c
        let h = c.hiddenSize
        let wordName = prefix + "embeddings.word_embeddings.weight"
        guard w.checkpoint.contains(wordName), let rows = try w.checkpoint.shape(wordName).first else {
            throw CometError.badField(file: w.file, field: "state_dict." + wordName, reason: "missing")
        }
        vocabSize = rows
        wordEmbeddings = try w.tensor(wordName, shape: [rows, h])
        positionEmbeddings = try w.tensor(prefix + "embeddings.position_embeddings.weight", shape: [c.maxPositions, h])
        let typeName = prefix + "embeddings.token_type_embeddings.weight"
        let types = try w.checkpoint.contains(typeName) ? w.checkpoint.shape(typeName).first ?? 1 : 1
        tokenTypeEmbedding = Array(try w.tensor(typeName, shape: [types, h]).prefix(h))   // type id 0 throughout
        embeddingNorm = try w.layerNorm(prefix + "embeddings.LayerNorm", size: h, eps: c.layerNormEps)
        layers = try (0..<c.layers).map { i in
            let p = prefix + "encoder.layer.\(i)."
            return Layer(query: try w.linear(p + "attention.self.query", inputs: h, outputs: h),
                         key: try w.linear(p + "attention.self.key", inputs: h, outputs: h),
                         value: try w.linear(p + "attention.self.value", inputs: h, outputs: h),
                         attentionOutput: try w.linear(p + "attention.output.dense", inputs: h, outputs: h),
                         attentionNorm: try w.layerNorm(p + "attention.output.LayerNorm", size: h, eps: c.layerNormEps),
                         intermediate: try w.linear(p + "intermediate.dense", inputs: h, outputs: c.intermediateSize),
                         output: try w.linear(p + "output.dense", inputs: c.intermediateSize, outputs: h),
                         outputNorm: try w.layerNorm(p + "output.LayerNorm", size: h, eps: c.layerNormEps))
        }
    }

    /// Runs unpadded sequences together: their tokens are stacked row-wise (`starts[i]..<starts[i+1]` is sequence
    /// i) so that every projection is one large GEMM, while attention stays within each sequence. Hands each
    /// hidden state `[tokens * hidden]` to `visit` with its index (0 = the embedding output), as COMET's layer
    /// mix consumes them, instead of keeping all of them.
    func forEachHiddenState(_ batch: [[Int]], _ visit: (_ index: Int, _ state: [Float], _ starts: [Int]) -> Void) {
        let h = config.hiddenSize
        var starts = [0]
        for ids in batch { starts.append(starts.last! + ids.count) }
        var x = [Float](repeating: 0, count: starts.last! * h)
        let firstPosition = config.padTokenId + 1                 // no padding inside one sequence
        wordEmbeddings.withUnsafeBufferPointer { words in positionEmbeddings.withUnsafeBufferPointer { positions in
            tokenTypeEmbedding.withUnsafeBufferPointer { type in x.withUnsafeMutableBufferPointer { xp in
                parallelFor(0..<batch.count) { s in
                    for (i, id) in batch[s].enumerated() {
                        let row = xp.baseAddress! + (starts[s] + i) * h
                        let word = words.baseAddress! + id * h, position = positions.baseAddress! + (firstPosition + i) * h
                        for j in 0..<h { row[j] = word[j] + type[j] + position[j] }
                    }
                }
            } }
        } }
        embeddingNorm.apply(&x, rows: starts.last!)
        visit(0, x, starts)
        for (l, layer) in layers.enumerated() {
            x = apply(layer, x, starts: starts)
            visit(l + 1, x, starts)
        }
    }

    private func apply(_ layer: Layer, _ x: [Float], starts: [Int]) -> [Float] {
        let h = config.hiddenSize, rows = starts.last!
        let q = layer.query.apply(x, rows: rows), k = layer.key.apply(x, rows: rows), v = layer.value.apply(x, rows: rows)
        var context = [Float](repeating: 0, count: rows * h)
        q.withUnsafeBufferPointer { qp in k.withUnsafeBufferPointer { kp in v.withUnsafeBufferPointer { vp in
            context.withUnsafeMutableBufferPointer { cp in
                attend(q: qp.baseAddress!, k: kp.baseAddress!, v: vp.baseAddress!, context: cp.baseAddress!, starts: starts)
            }
        } } }
        var attended = layer.attentionOutput.apply(context, rows: rows)
        layer.attentionNorm.apply(&attended, rows: rows, adding: x)
        var inner = layer.intermediate.apply(attended, rows: rows)
        inner.withUnsafeMutableBufferPointer { parallelGELU($0) }
        var out = layer.output.apply(inner, rows: rows)
        layer.outputNorm.apply(&out, rows: rows, adding: attended)
        return out
    }

    /// Self-attention within each sequence, one (sequence, head) pair per pool task, longest sequences first so
    /// the last tasks are short: `context_h = softmax(q_h k_hᵀ / √d) v_h` over that sequence's rows (stride h).
    private func attend(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                        context: UnsafeMutablePointer<Float>, starts: [Int]) {
        let h = config.hiddenSize, heads = config.heads, d = h / heads
        let scale = 1 / Float(d).squareRoot()
        let lengths: [Int] = zip(starts.dropFirst(), starts).map { $0 - $1 }
        let order: [Int] = lengths.indices.sorted { lengths[$0] > lengths[$1] }
        parallelFor(0..<(order.count * heads)) { task in
            let s = order[task / heads], head = task % heads
            let t = starts[s + 1] - starts[s], off = starts[s] * h + head * d
            withUnsafeTemporaryAllocation(of: Float.self, capacity: t * t) { scores in
                let sp = scores.baseAddress!
                BLAS.sgemm(transB: true, m: t, n: t, k: d, alpha: scale, a: q + off, lda: h, b: k + off, ldb: h, c: sp)
                for r in 0..<t { softmaxInPlace(UnsafeMutableBufferPointer(start: sp + r * t, count: t)) }
                BLAS.sgemm(m: t, n: d, k: t, a: sp, b: v + off, ldb: h, c: context + off, ldc: h)
            }
        }
    }
}

/// GELU in place, split across the pool.
private func parallelGELU(_ x: UnsafeMutableBufferPointer<Float>) {
    let piece = 1 << 14
    parallelFor(0..<((x.count + piece - 1) / piece)) { p in
        let lo = p * piece
        geluInPlace(UnsafeMutableBufferPointer(rebasing: x[lo..<min(x.count, lo + piece)]), level: .active)
    }
}
