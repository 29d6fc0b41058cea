import Linalg
import TorchCheckpoint

/// A torch `nn.Linear`: weight `[out, in]`, bias `[out]`.
struct Linear: Sendable {
    let weight: WeightMatrix
    let bias: [Float]
    let inputs: Int
    let outputs: Int

    init(weight: [Float], bias: [Float], inputs: Int, outputs: Int) {
        self.weight = weight.withUnsafeBufferPointer { WeightMatrix(copying: $0, rows: outputs, cols: inputs) }
        self.bias = bias
        self.inputs = inputs
        self.outputs = outputs
    }

    /// `rows` input vectors `[rows, inputs]` -> `[rows, outputs]`: the bias, then the product added to it by the
    /// row-dot kernels that run the LLaMA's linear layers (threads split the weight rows).
    func apply(_ x: [Float], rows: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * outputs) { yp, count in
            let y = yp.baseAddress!
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows { (y + r * outputs).initialize(from: b.baseAddress!, count: outputs) }
            }
            x.withUnsafeBufferPointer { xp in
                rowDotGemm(m: rows, a: xp.baseAddress!, lda: inputs, w: weight, accumulate: true, c: y, ldc: outputs)
            }
            count = rows * outputs
        }
    }
}

/// A torch `nn.LayerNorm` over the last dimension.
struct LayerNorm: Sendable {
    let weight: [Float]
    let bias: [Float]
    let eps: Float

    /// Normalizes each of the `rows` rows of `x`, after adding `residual` (same shape) when given: the post-LN
    /// `LayerNorm(x + residual)` of a BERT layer in one pass, rows split across the pool.
    func apply(_ x: inout [Float], rows: Int, adding residual: [Float]? = nil) {
        let n = weight.count
        let rowsPerTask = max(1, 4096 / max(n, 1))
        func run(_ add: UnsafePointer<Float>?) {
            x.withUnsafeMutableBufferPointer { xb in weight.withUnsafeBufferPointer { wb in bias.withUnsafeBufferPointer { bb in
                let xp = xb.baseAddress!, w = wb.baseAddress!, b = bb.baseAddress!
                parallelFor(0..<((rows + rowsPerTask - 1) / rowsPerTask)) { task in
                    for r in (task * rowsPerTask)..<min(rows, (task + 1) * rowsPerTask) {
                        let row = xp + r * n
                        if let add { for i in 0..<n { row[i] += add[r * n + i] } }
                        normalizeRow(row, n: n, weight: w, bias: b)
                    }
                }
            } } }
        }
        if let residual { residual.withUnsafeBufferPointer { run($0.baseAddress!) } } else { run(nil) }
    }

    @inline(__always)
    private func normalizeRow(_ row: UnsafeMutablePointer<Float>, n: Int, weight: UnsafePointer<Float>,
                              bias: UnsafePointer<Float>) {
        // Eight running sums per reduction: one float accumulator waits an add latency per element.
        var sum8 = SIMD8<Float>(), i = 0
        while i + 8 <= n { sum8 += UnsafeRawPointer(row + i).loadUnaligned(as: SIMD8<Float>.self); i += 8 }
        var mean = sum8.sum()
        while i < n { mean += row[i]; i += 1 }
        mean /= Float(n)
        let mean8 = SIMD8<Float>(repeating: mean)
        var squares8 = SIMD8<Float>()
        i = 0
        while i + 8 <= n {
            let d = UnsafeRawPointer(row + i).loadUnaligned(as: SIMD8<Float>.self) - mean8
            squares8 += d * d
            i += 8
        }
        var variance = squares8.sum()
        while i < n { let d = row[i] - mean; variance += d * d; i += 1 }
        variance /= Float(n)
        let scale = 1 / (variance + eps).squareRoot()
        for i in 0..<n { row[i] = (row[i] - mean) * scale * weight[i] + bias[i] }
    }
}

/// Reads `prefix.weight` / `prefix.bias` from a checkpoint, checking shapes.
struct WeightReader {
    let checkpoint: TorchCheckpoint
    let file: String

    func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        guard checkpoint.contains(name) else {
            throw CometError.badField(file: file, field: "state_dict." + name, reason: "missing")
        }
        let actual = try checkpoint.shape(name)
        guard actual == shape else {
            throw CometError.badField(file: file, field: "state_dict." + name, reason: "shape \(actual), expected \(shape)")
        }
        return try checkpoint.floats(name)
    }

    func linear(_ prefix: String, inputs: Int, outputs: Int) throws -> Linear {
        Linear(weight: try tensor(prefix + ".weight", shape: [outputs, inputs]), bias: try tensor(prefix + ".bias", shape: [outputs]),
               inputs: inputs, outputs: outputs)
    }

    func layerNorm(_ prefix: String, size: Int, eps: Float) throws -> LayerNorm {
        LayerNorm(weight: try tensor(prefix + ".weight", shape: [size]), bias: try tensor(prefix + ".bias", shape: [size]), eps: eps)
    }
}
