import Linalg
import TorchCheckpoint

/// A torch `nn.Linear`: weight `[out, in]`, bias `[out]`.
struct Linear: Sendable {
    let weight: [Float]
    let bias: [Float]
    let inputs: Int
    let outputs: Int

    /// `rows` input vectors `[rows, inputs]` -> `[rows, outputs]`.
    func apply(_ x: [Float], rows: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outputs)
        for r in 0..<rows { for o in 0..<outputs { y[r * outputs + o] = bias[o] } }
        x.withUnsafeBufferPointer { xp in
            weight.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    BLAS.sgemm(transB: true, m: rows, n: outputs, k: inputs, a: xp.baseAddress!, b: wp.baseAddress!,
                               beta: 1, c: yp.baseAddress!)
                }
            }
        }
        return y
    }
}

/// A torch `nn.LayerNorm` over the last dimension.
struct LayerNorm: Sendable {
    let weight: [Float]
    let bias: [Float]
    let eps: Float

    func apply(_ x: inout [Float], rows: Int) {
        let n = weight.count
        for r in 0..<rows {
            let base = r * n
            var mean: Float = 0
            for i in 0..<n { mean += x[base + i] }
            mean /= Float(n)
            var variance: Float = 0
            for i in 0..<n { let d = x[base + i] - mean; variance += d * d }
            variance /= Float(n)
            let scale = 1 / (variance + eps).squareRoot()
            for i in 0..<n { x[base + i] = (x[base + i] - mean) * scale * weight[i] + bias[i] }
        }
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
