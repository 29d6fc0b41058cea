import Foundation

// Causal multi-head attention with grouped KV heads, on a fused [rows, Q + 2·KVd] q|k|v buffer (q and k after RoPE).
// Query head h reads KV head h / (heads / kvHeads), as HF's repeat_kv does.

struct AttentionShape {
    let batch, seqLen, heads, kvHeads, headDim: Int
    var qDim: Int { heads * headDim }
    var kvDim: Int { kvHeads * headDim }
    var rowStride: Int { qDim + 2 * kvDim }
    var group: Int { heads / kvHeads }
    var scale: Float { 1 / Float(headDim).squareRoot() }
}

/// Forward for one (sequence b, query head h): fp32 softmax of q·kᵀ/√d over s ≤ t, saved in `probs`
/// ([b, h, t, s], entries s > t unused), and out[t] = Σ_s p[t,s]·v[s] written into `out` ([rows, qDim]).
@inline(__always)
func attentionForward(_ a: AttentionShape, b: Int, h: Int, qkv: UnsafePointer<Float>,
                      probs: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>) {
    let T = a.seqLen, d = a.headDim, S = a.rowStride
    let kvh = h / a.group
    let kOff = a.qDim + kvh * d, vOff = a.qDim + a.kvDim + kvh * d
    let scale = a.scale
    let base = b * T
    for t in 0..<T {
        let q = qkv + (base + t) * S + h * d
        let p = probs + ((b * a.heads + h) * T + t) * T
        var mx = -Float.infinity
        for s in 0...t {
            let k = qkv + (base + s) * S + kOff
            var dot: Float = 0
            for i in 0..<d { dot += q[i] * k[i] }
            let v = dot * scale
            p[s] = v
            if v > mx { mx = v }
        }
        var sum: Float = 0
        for s in 0...t {
            let e = Foundation.exp(p[s] - mx)
            p[s] = e
            sum += e
        }
        let inv = 1 / sum
        let o = out + (base + t) * a.qDim + h * d
        for i in 0..<d { o[i] = 0 }
        for s in 0...t {
            let w = p[s] * inv
            p[s] = w
            let v = qkv + (base + s) * S + vOff
            for i in 0..<d { o[i] += w * v[i] }
        }
    }
}

/// Backward for one (sequence b, KV head g) and all query heads of its group, so that the dk/dv it accumulates are
/// touched by no other task. Writes dq, dk, dv (post-RoPE) into the fused `dqkv`; `scratch` holds seqLen floats.
@inline(__always)
func attentionBackward(_ a: AttentionShape, b: Int, g: Int, qkv: UnsafePointer<Float>, probs: UnsafePointer<Float>,
                       dOut: UnsafePointer<Float>, dqkv: UnsafeMutablePointer<Float>,
                       scratch: UnsafeMutablePointer<Float>) {
    let T = a.seqLen, d = a.headDim, S = a.rowStride
    let kOff = a.qDim + g * d, vOff = a.qDim + a.kvDim + g * d
    let scale = a.scale
    let base = b * T
    for t in 0..<T {
        let row = dqkv + (base + t) * S
        for i in 0..<d { row[kOff + i] = 0; row[vOff + i] = 0 }
    }
    for h in (g * a.group)..<((g + 1) * a.group) {
        for t in 0..<T {
            let p = probs + ((b * a.heads + h) * T + t) * T
            let dout = dOut + (base + t) * a.qDim + h * d
            let q = qkv + (base + t) * S + h * d
            var pdp: Float = 0
            for s in 0...t {
                let v = qkv + (base + s) * S + vOff
                var dot: Float = 0
                for i in 0..<d { dot += dout[i] * v[i] }
                scratch[s] = dot
                pdp += p[s] * dot
            }
            let dq = dqkv + (base + t) * S + h * d
            for i in 0..<d { dq[i] = 0 }
            for s in 0...t {
                let ps = p[s]
                let ds = ps * (scratch[s] - pdp) * scale
                let srow = (base + s) * S
                let k = qkv + srow + kOff
                let dk = dqkv + srow + kOff, dv = dqkv + srow + vOff
                for i in 0..<d {
                    dq[i] += ds * k[i]
                    dk[i] += ds * q[i]
                    dv[i] += ps * dout[i]
                }
            }
        }
    }
}
