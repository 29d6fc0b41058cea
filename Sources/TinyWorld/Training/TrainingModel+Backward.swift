import Foundation
import Linalg

extension TrainingModel {
    /// Sets every gradient to zero (call once per optimiser step; `backward` accumulates).
    public func zeroGradients() { grads.update(repeating: 0) }

    /// Accumulates d(loss)/d(parameters) into `grads`, from the activations and d(loss)/d(logits) that
    /// `forward(tokens:targets:)` left behind.
    public func backward() {
        let c = config, N = rows, D = c.hiddenSize, F = c.intermediateSize, V = c.vocabSize
        let L = layout
        let qkvWidth = c.qDim + 2 * c.kvDim
        let shape = attentionShape
        let workers = self.workers
        let dx = self.dx.baseAddress!, dxn = self.dxn.baseAddress!
        let dqkv = self.dqkv.baseAddress!, dAttn = self.dAttn.baseAddress!
        let dGateUp = self.dGateUp.baseAddress!, dh = self.dh.baseAddress!
        let dProbs = self.dProbs.baseAddress!

        // Head and final norm.
        let dLogits = logits.baseAddress!, xnF = self.xnF.baseAddress!
        BLAS.sgemm(transA: true, transB: false, m: V, n: D, k: N, a: dLogits, lda: V, b: xnF, ldb: D,
                  beta: 1, c: gradPointer(L.lmHead), ldc: D)
        BLAS.sgemm(transA: false, transB: false, m: N, n: D, k: V, a: dLogits, lda: V, b: pointer(L.lmHead), ldb: D,
                  beta: 0, c: dxn, ldc: D)
        self.dx.update(repeating: 0)
        let xf = xFinal.baseAddress!, rstdF = self.rstdF.baseAddress!, wF = pointer(L.finalNorm)
        parallelChunks(N, workers: workers) { r in
            rmsNormBackwardInput(x: xf, weight: wF, rstd: rstdF, dy: dxn, dx: dx, dim: D, rows: r)
        }
        rmsNormBackwardWeight(x: xf, rstd: rstdF, dy: dxn, dWeight: gradPointer(L.finalNorm), dim: D, rowCount: N)

        for (l, layer) in L.layers.enumerated().reversed() {
            let a = acts[l]
            let x = a.x.baseAddress!, xn1 = a.xn1.baseAddress!, rstd1 = a.rstd1.baseAddress!
            let qkv = a.qkv.baseAddress!, attn = a.attn.baseAddress!, probs = a.probs.baseAddress!
            let xMid = a.xMid.baseAddress!, xn2 = a.xn2.baseAddress!, rstd2 = a.rstd2.baseAddress!
            let gateUp = a.gateUp.baseAddress!, h = a.h.baseAddress!
            let wIn = pointer(layer.inputNorm), wPost = pointer(layer.postNorm)

            // MLP: dx is the gradient of this layer's output = xMid + down(h).
            BLAS.sgemm(transA: true, transB: false, m: D, n: F, k: N, a: dx, lda: D, b: h, ldb: F,
                      beta: 1, c: gradPointer(layer.down), ldc: F)
            BLAS.sgemm(transA: false, transB: false, m: N, n: F, k: D, a: dx, lda: D, b: pointer(layer.down), ldb: F,
                      beta: 0, c: dh, ldc: F)
            parallelChunks(N, workers: workers) { r in
                swigluBackward(gateUp: gateUp, dh: dh, dGateUp: dGateUp, ffn: F, rows: r)
            }
            BLAS.sgemm(transA: true, transB: false, m: 2 * F, n: D, k: N, a: dGateUp, lda: 2 * F, b: xn2, ldb: D,
                      beta: 1, c: gradPointer(layer.gate), ldc: D)
            BLAS.sgemm(transA: false, transB: false, m: N, n: D, k: 2 * F, a: dGateUp, lda: 2 * F,
                      b: pointer(layer.gate), ldb: D, beta: 0, c: dxn, ldc: D)
            parallelChunks(N, workers: workers) { r in
                rmsNormBackwardInput(x: xMid, weight: wPost, rstd: rstd2, dy: dxn, dx: dx, dim: D, rows: r)
            }
            rmsNormBackwardWeight(x: xMid, rstd: rstd2, dy: dxn, dWeight: gradPointer(layer.postNorm), dim: D,
                                  rowCount: N)

            // Attention: dx is now the gradient of xMid = x + o_proj(attn).
            BLAS.sgemm(transA: true, transB: false, m: D, n: c.qDim, k: N, a: dx, lda: D, b: attn, ldb: c.qDim,
                      beta: 1, c: gradPointer(layer.o), ldc: c.qDim)
            BLAS.sgemm(transA: false, transB: false, m: N, n: c.qDim, k: D, a: dx, lda: D, b: pointer(layer.o),
                      ldb: c.qDim, beta: 0, c: dAttn, ldc: c.qDim)
            attentionBackward(shape, qkv: qkv, probs: probs, dOut: dAttn, dqkv: dqkv, dProbs: dProbs, workers: workers)
            rotateQK(dqkv, inverse: true)
            BLAS.sgemm(transA: true, transB: false, m: qkvWidth, n: D, k: N, a: dqkv, lda: qkvWidth, b: xn1, ldb: D,
                      beta: 1, c: gradPointer(layer.q), ldc: D)
            BLAS.sgemm(transA: false, transB: false, m: N, n: D, k: qkvWidth, a: dqkv, lda: qkvWidth,
                      b: pointer(layer.q), ldb: D, beta: 0, c: dxn, ldc: D)
            parallelChunks(N, workers: workers) { r in
                rmsNormBackwardInput(x: x, weight: wIn, rstd: rstd1, dy: dxn, dx: dx, dim: D, rows: r)
            }
            rmsNormBackwardWeight(x: x, rstd: rstd1, dy: dxn, dWeight: gradPointer(layer.inputNorm), dim: D,
                                  rowCount: N)
        }

        // Embedding: scatter-add the residual-stream gradient into the rows that were looked up.
        let gEmbed = gradPointer(L.embed)
        for n in 0..<N {
            let row = gEmbed + Int(tokens[n]) * D, src = dx + n * D
            for j in 0..<D { row[j] += src[j] }
        }
    }
}
