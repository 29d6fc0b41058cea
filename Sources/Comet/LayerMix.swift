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

    func mix(_ states: [[Float]]) -> [Float] {
        var out = [Float](repeating: 0, count: states[0].count)
        for (w, state) in zip(weights, states) {
            // A zero sparsemax weight still multiplies in torch; 0 * finite adds nothing, so skipping is exact.
            if w == 0 { continue }
            let s = layerNorm ? normalizedOverAll(state) : state
            for i in out.indices { out[i] += w * s[i] }
        }
        for i in out.indices { out[i] *= gamma }
        return out
    }

    /// `(x - mean) / sqrt(var + 1e-12)` over every element of the sequence, as COMET's `_layer_norm`.
    private func normalizedOverAll(_ x: [Float]) -> [Float] {
        let n = Float(x.count)
        var mean: Float = 0
        for v in x { mean += v }
        mean /= n
        var variance: Float = 0
        for v in x { variance += (v - mean) * (v - mean) }
        variance /= n
        let scale = 1 / (variance + 1e-12).squareRoot()
        return x.map { ($0 - mean) * scale }
    }
}

func softmax(_ z: [Float]) -> [Float] {
    var p = z
    p.withUnsafeMutableBufferPointer { softmaxRow($0.baseAddress!, $0.count) }
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
