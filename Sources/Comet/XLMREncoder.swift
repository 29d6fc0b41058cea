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
        for (s, ids) in batch.enumerated() {
            for (i, id) in ids.enumerated() {
                let row = (starts[s] + i) * h
                let position = config.padTokenId + 1 + i          // no padding inside one sequence
                for j in 0..<h {
                    x[row + j] = wordEmbeddings[id * h + j] + tokenTypeEmbedding[j] + positionEmbeddings[position * h + j]
                }
            }
        }
        embeddingNorm.apply(&x, rows: starts.last!)
        visit(0, x, starts)
        for (l, layer) in layers.enumerated() {
            x = apply(layer, x, starts: starts)
            visit(l + 1, x, starts)
        }
    }

    private func apply(_ layer: Layer, _ x: [Float], starts: [Int]) -> [Float] {
        let h = config.hiddenSize, heads = config.heads, d = h / heads, rows = starts.last!
        let q = layer.query.apply(x, rows: rows), k = layer.key.apply(x, rows: rows), v = layer.value.apply(x, rows: rows)
        var context = [Float](repeating: 0, count: rows * h)
        let longest = zip(starts.dropFirst(), starts).map { $0 - $1 }.max() ?? 0
        var scores = [Float](repeating: 0, count: longest * longest)
        let scale = 1 / Float(d).squareRoot()
        q.withUnsafeBufferPointer { qp in k.withUnsafeBufferPointer { kp in v.withUnsafeBufferPointer { vp in
            context.withUnsafeMutableBufferPointer { cp in scores.withUnsafeMutableBufferPointer { sp in
                for s in 0..<(starts.count - 1) {
                    let t = starts[s + 1] - starts[s], base = starts[s] * h
                    for head in 0..<heads {
                        let off = base + head * d
                        // scores = q_h k_h^T * scale over this sequence's rows (stride h)
                        BLAS.sgemm(transB: true, m: t, n: t, k: d, alpha: scale, a: qp.baseAddress! + off, lda: h,
                                   b: kp.baseAddress! + off, ldb: h, c: sp.baseAddress!)
                        for r in 0..<t { softmaxInPlace(UnsafeMutableBufferPointer(start: sp.baseAddress! + r * t, count: t)) }
                        BLAS.sgemm(m: t, n: d, k: t, a: sp.baseAddress!, b: vp.baseAddress! + off, ldb: h,
                                   c: cp.baseAddress! + off, ldc: h)
                    }
                }
            } }
        } } }
        var attended = layer.attentionOutput.apply(context, rows: rows)
        for i in attended.indices { attended[i] += x[i] }
        layer.attentionNorm.apply(&attended, rows: rows)
        var inner = layer.intermediate.apply(attended, rows: rows)
        inner.withUnsafeMutableBufferPointer { geluInPlace($0) }
        var out = layer.output.apply(inner, rows: rows)
        for i in out.indices { out[i] += attended[i] }
        layer.outputNorm.apply(&out, rows: rows)
        return out
    }
}
