import Linalg

/// COMET's `LayerwiseAttention`: `gamma * Σ_i w_i h_i` with `w = sparsemax(s)` or `softmax(s)` over the scalar
/// layer weights, each hidden state optionally normalized over all of its (unpadded) elements first.
struct LayerMix: Sendable {
    let weights: [Float]   // already transformed
    let gamma: Float
    let layerNorm: Bool

    init(scalars: [Float], gamma: Float, sparsemax useSparsemax: Bool, layerNorm: Bool) {
        weights = useSparsemax ? sparsemax(scalars) : softmax(scalars)
        self.gamma = gamma
        self.layerNorm = layerNorm
    }

    /// Adds hidden state `index` (rows of several sequences, `starts` as the encoder gives them) into `mix`,
    /// gamma included.
    func accumulate(_ state: [Float], index: Int, starts: [Int], into mix: inout [Float]) {
        // A zero sparsemax weight still multiplies in torch; 0 * finite adds nothing, so skipping is exact.
        let w = weights[index]
        if w == 0 { return }
        let h = state.count / max(1, starts.last!)
        state.withUnsafeBufferPointer { sb in mix.withUnsafeMutableBufferPointer { mb in
            parallelFor(0..<(starts.count - 1)) { s in
                let range = (starts[s] * h)..<(starts[s + 1] * h)
                let values = UnsafeBufferPointer(rebasing: sb[range])
                var shift: Float = 0, scale: Float = 1
                if layerNorm { (shift, scale) = Self.normalization(values) }
                let factor = gamma * w * scale
                let out = mb.baseAddress! + range.lowerBound
                for i in 0..<values.count { out[i] += factor * (values[i] - shift) }
            }
        } }
    }

    /// Mean and `1 / sqrt(var + 1e-12)` over every element of one sequence, as COMET's `_layer_norm`.
    private static func normalization(_ x: UnsafeBufferPointer<Float>) -> (Float, Float) {
        let n = Float(x.count)
        var mean: Float = 0
        for v in x { mean += v }
        mean /= n
        var variance: Float = 0
        for v in x { variance += (v - mean) * (v - mean) }
        variance /= n
        return (mean, 1 / (variance + 1e-12).squareRoot())
    }
}

func softmax(_ z: [Float]) -> [Float] {
    var p = z
    p.withUnsafeMutableBufferPointer { softmaxInPlace($0) }
    return p
}

/// Sparsemax (Martins & Astudillo 2016), as entmax's `sparsemax`: the Euclidean projection onto the simplex.
func sparsemax(_ z: [Float]) -> [Float] {
    let sorted = z.sorted(by: >)
    var cumulative: Float = 0, support = 0, supportSum: Float = 0
    for (i, v) in sorted.enumerated() {
        cumulative += v
        if 1 + Float(i + 1) * v > cumulative { support = i + 1; supportSum = cumulative }
    }
    let tau = (supportSum - 1) / Float(support)
    return z.map { max($0 - tau, 0) }
}
