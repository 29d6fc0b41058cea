import Foundation

/// RoPE inverse frequencies, computed in fp32 the way transformers does (`1 / base ** (arange(0, d, 2) / d)`,
/// then the llama3 adjustment), so angles match it bit for bit as far as `powf` allows.
func ropeInverseFrequencies(_ config: LlamaConfig) -> [Float] {
    let dim = config.headDim
    let base = Float(config.ropeTheta)
    var inv = (0..<(dim / 2)).map { i -> Float in 1 / powf(base, Float(2 * i) / Float(dim)) }
    guard let s = config.ropeScaling else { return inv }
    let factor = Float(s.factor), low = Float(s.lowFreqFactor), high = Float(s.highFreqFactor)
    let oldContext = Float(s.originalMaxPositionEmbeddings)
    let lowFreqWavelen = oldContext / low
    let highFreqWavelen = oldContext / high
    for i in inv.indices {
        let f = inv[i]
        let wavelen = Float(2 * Double.pi) / f
        var scaled = wavelen > lowFreqWavelen ? f / factor : f
        if !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen) {
            let smooth = (oldContext / wavelen - low) / (high - low)
            scaled = (1 - smooth) * scaled / factor + smooth * scaled
        }
        inv[i] = scaled
    }
    return inv
}

/// cos and sin of every row's angles: `[rows, headDim/2]` each, for the positions given (fp32 angle `pos · invFreq`,
/// as transformers forms it before taking cos and sin).
struct RotaryTable {
    let half: Int
    var cos: [Float]
    var sin: [Float]

    init(inverseFrequencies inv: [Float], positions: [Int]) {
        half = inv.count
        cos = [Float](repeating: 0, count: positions.count * half)
        sin = cos
        for (r, p) in positions.enumerated() {
            let fp = Float(p)
            for i in 0..<half {
                let angle = Double(fp * inv[i])
                cos[r * half + i] = Float(Foundation.cos(angle))
                sin[r * half + i] = Float(Foundation.sin(angle))
            }
        }
    }
}
