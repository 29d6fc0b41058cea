import Foundation
import Linalg

// Causal multi-head attention with grouped KV heads, on a fused [rows, Q + 2·KVd] q|k|v buffer (q and k after RoPE).
// Query head h reads KV head h / (heads / kvHeads), as HF's repeat_kv does. The products run as one SGEMM per
// (sequence, head) (full T×T, the masked half is zero); the row-wise softmax parts run across threads.

struct AttentionShape {
    let batch, seqLen, heads, kvHeads, headDim: Int
    var qDim: Int { heads * headDim }
    var kvDim: Int { kvHeads * headDim }
    var rowStride: Int { qDim + 2 * kvDim }
    var group: Int { heads / kvHeads }
    var scale: Float { 1 / Float(headDim).squareRoot() }

    @inline(__always) func qOffset(b: Int, h: Int) -> Int { b * seqLen * rowStride + h * headDim }
    @inline(__always) func kOffset(b: Int, h: Int) -> Int { b * seqLen * rowStride + qDim + (h / group) * headDim }
    @inline(__always) func vOffset(b: Int, h: Int) -> Int { kOffset(b: b, h: h) + kvDim }
    @inline(__always) func probsOffset(b: Int, h: Int) -> Int { (b * heads + h) * seqLen * seqLen }
}

/// probs[b,h] = causal softmax(q·kᵀ/√d) in fp32 (masked entries 0); out[b,t,h] = Σ_s probs[t,s]·v[s].
func attentionForward(_ a: AttentionShape, qkv: UnsafePointer<Float>, probs: UnsafeMutablePointer<Float>,
                      out: UnsafeMutablePointer<Float>, workers: Int) {
    let T = a.seqLen, d = a.headDim, S = a.rowStride
    for b in 0..<a.batch {
        for h in 0..<a.heads {
            BLAS.sgemm(transA: false, transB: true, m: T, n: T, k: d, alpha: a.scale, a: qkv + a.qOffset(b: b, h: h),
                      lda: S, b: qkv + a.kOffset(b: b, h: h), ldb: S, beta: 0, c: probs + a.probsOffset(b: b, h: h),
                      ldc: T)
        }
    }
    parallelChunks(a.batch * a.heads * T, workers: workers) { rows in
        for r in rows {
            let t = r % T
            let p = probs + r * T
            var mx = -Float.infinity
            for s in 0...t where p[s] > mx { mx = p[s] }
            var sum: Float = 0
            for s in 0...t {
                let e = Foundation.exp(p[s] - mx)
                p[s] = e
                sum += e
            }
            let inv = 1 / sum
            for s in 0...t { p[s] *= inv }
            for s in (t + 1)..<T { p[s] = 0 }
        }
    }
    for b in 0..<a.batch {
        for h in 0..<a.heads {
            BLAS.sgemm(transA: false, transB: false, m: T, n: d, k: T, a: probs + a.probsOffset(b: b, h: h), lda: T,
                      b: qkv + a.vOffset(b: b, h: h), ldb: S, beta: 0, c: out + b * T * a.qDim + h * d, ldc: a.qDim)
        }
    }
}

/// From dOut ([rows, qDim]) writes dq, dk, dv (post-RoPE) into the fused `dqkv`. `dProbs` is scratch of the size
/// of `probs`.
func attentionBackward(_ a: AttentionShape, qkv: UnsafePointer<Float>, probs: UnsafePointer<Float>,
                       dOut: UnsafePointer<Float>, dqkv: UnsafeMutablePointer<Float>,
                       dProbs: UnsafeMutablePointer<Float>, workers: Int) {
    let T = a.seqLen, d = a.headDim, S = a.rowStride
    // dP = dO · vᵀ
    for b in 0..<a.batch {
        for h in 0..<a.heads {
            BLAS.sgemm(transA: false, transB: true, m: T, n: T, k: d, a: dOut + b * T * a.qDim + h * d, lda: a.qDim,
                      b: qkv + a.vOffset(b: b, h: h), ldb: S, beta: 0, c: dProbs + a.probsOffset(b: b, h: h), ldc: T)
        }
    }
    // dS = P ⊙ (dP − Σ_s P·dP) · scale, in place over dP (masked entries are 0 because P is).
    let scale = a.scale
    parallelChunks(a.batch * a.heads * T, workers: workers) { rows in
        for r in rows {
            let t = r % T
            let p = probs + r * T, dp = dProbs + r * T
            var dot: Float = 0
            for s in 0...t { dot += p[s] * dp[s] }
            for s in 0...t { dp[s] = p[s] * (dp[s] - dot) * scale }
            for s in (t + 1)..<T { dp[s] = 0 }
        }
    }
    for b in 0..<a.batch {
        for h in 0..<a.heads {
            let ds = UnsafePointer(dProbs + a.probsOffset(b: b, h: h)), p = probs + a.probsOffset(b: b, h: h)
            let first = h % a.group == 0          // the first query head of a KV group overwrites dk, dv
            BLAS.sgemm(transA: false, transB: false, m: T, n: d, k: T, a: ds, lda: T, b: qkv + a.kOffset(b: b, h: h),
                      ldb: S, beta: 0, c: dqkv + a.qOffset(b: b, h: h), ldc: S)
            BLAS.sgemm(transA: true, transB: false, m: T, n: d, k: T, a: ds, lda: T, b: qkv + a.qOffset(b: b, h: h),
                      ldb: S, beta: first ? 0 : 1, c: dqkv + a.kOffset(b: b, h: h), ldc: S)
            BLAS.sgemm(transA: true, transB: false, m: T, n: d, k: T, a: p, lda: T, b: dOut + b * T * a.qDim + h * d,
                      ldb: a.qDim, beta: first ? 0 : 1, c: dqkv + a.vOffset(b: b, h: h), ldc: S)
        }
    }
}
