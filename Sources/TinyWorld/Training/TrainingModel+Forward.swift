import Foundation
import Linalg

extension TrainingModel {
    /// Forward pass over `rows` tokens (batch × seqLen, row-major), saving every activation for `backward`.
    /// Without targets, `logits` holds the logits afterwards. With targets, returns the mean cross-entropy and
    /// `logits` holds d(loss)/d(logits), ready for `backward()`.
    @discardableResult
    public func forward(tokens input: [Int], targets target: [Int]? = nil) throws -> Double? {
        let c = config, N = rows, D = c.hiddenSize, F = c.intermediateSize, V = c.vocabSize
        guard input.count == N else { throw TinyWorldError.badBatch(reason: "expected \(N) tokens, got \(input.count)") }
        for (n, id) in input.enumerated() {
            guard id >= 0 && id < V else { throw TinyWorldError.badBatch(reason: "token id \(id) outside vocab \(V)") }
            tokens[n] = Int32(id)
        }
        if let target {
            guard target.count == N else { throw TinyWorldError.badBatch(reason: "expected \(N) targets") }
            for (n, id) in target.enumerated() {
                guard id >= 0 && id < V else { throw TinyWorldError.badBatch(reason: "target id \(id) outside vocab \(V)") }
                targets[n] = Int32(id)
            }
        }
        let L = layout
        let qkvWidth = c.qDim + 2 * c.kvDim
        let shape = attentionShape
        let workers = self.workers
        let tok = UnsafePointer(tokens.baseAddress!)

        // Embedding lookup (no scaling, as LLaMA).
        let x0 = acts.first?.x ?? xFinal
        let embed = pointer(L.embed)
        for n in 0..<N { (x0.baseAddress! + n * D).update(from: embed + Int(tok[n]) * D, count: D) }

        for (l, layer) in L.layers.enumerated() {
            let a = acts[l]
            let x = a.x.baseAddress!, xn1 = a.xn1.baseAddress!, rstd1 = a.rstd1.baseAddress!
            let qkv = a.qkv.baseAddress!, attn = a.attn.baseAddress!, probs = a.probs.baseAddress!
            let xMid = a.xMid.baseAddress!, xn2 = a.xn2.baseAddress!, rstd2 = a.rstd2.baseAddress!
            let gateUp = a.gateUp.baseAddress!, h = a.h.baseAddress!
            let next = (l + 1 < acts.count ? acts[l + 1].x : xFinal).baseAddress!
            let wIn = pointer(layer.inputNorm), wPost = pointer(layer.postNorm)

            parallelChunks(N, workers: workers) { r in
                rmsNormForward(x: x, weight: wIn, y: xn1, rstd: rstd1, dim: D, eps: c.rmsNormEps, rows: r)
            }
            // q, k, v in one GEMM: their weights sit next to each other in the layout.
            BLAS.sgemm(transA: false, transB: true, m: N, n: qkvWidth, k: D, a: xn1, lda: D,
                      b: pointer(layer.q), ldb: D, beta: 0, c: qkv, ldc: qkvWidth)
            rotateQK(qkv, inverse: false)
            attentionForward(shape, qkv: qkv, probs: probs, out: attn, workers: workers)
            xMid.update(from: x, count: N * D)
            BLAS.sgemm(transA: false, transB: true, m: N, n: D, k: c.qDim, a: attn, lda: c.qDim,
                      b: pointer(layer.o), ldb: c.qDim, beta: 1, c: xMid, ldc: D)

            parallelChunks(N, workers: workers) { r in
                rmsNormForward(x: xMid, weight: wPost, y: xn2, rstd: rstd2, dim: D, eps: c.rmsNormEps, rows: r)
            }
            // gate and up in one GEMM, likewise adjacent in the layout.
            BLAS.sgemm(transA: false, transB: true, m: N, n: 2 * F, k: D, a: xn2, lda: D,
                      b: pointer(layer.gate), ldb: D, beta: 0, c: gateUp, ldc: 2 * F)
            parallelChunks(N, workers: workers) { r in swigluForward(gateUp: gateUp, h: h, ffn: F, rows: r) }
            next.update(from: xMid, count: N * D)
            BLAS.sgemm(transA: false, transB: true, m: N, n: D, k: F, a: h, lda: F,
                      b: pointer(layer.down), ldb: F, beta: 1, c: next, ldc: D)
        }

        let xf = xFinal.baseAddress!, xnF = self.xnF.baseAddress!, rstdF = self.rstdF.baseAddress!
        let wF = pointer(L.finalNorm)
        parallelChunks(N, workers: workers) { r in
            rmsNormForward(x: xf, weight: wF, y: xnF, rstd: rstdF, dim: D, eps: c.rmsNormEps, rows: r)
        }
        let lg = logits.baseAddress!
        BLAS.sgemm(transA: false, transB: true, m: N, n: V, k: D, a: xnF, lda: D,
                  b: pointer(L.lmHead), ldb: D, beta: 0, c: lg, ldc: V)

        guard target != nil else { return nil }
        let tg = UnsafePointer(targets.baseAddress!), losses = rowLoss.baseAddress!
        let scale = 1 / Float(N)
        parallelChunks(N, workers: workers) { r in
            crossEntropyForwardBackward(logits: lg, targets: tg, losses: losses, vocab: V, scale: scale, rows: r)
        }
        var total = 0.0
        for n in 0..<N { total += Double(losses[n]) }
        return total / Double(N)
    }
}

extension TrainingModel {
    /// RoPE on the q and k parts of every row of a q|k|v buffer (`inverse`: the backward pass's rotation).
    func rotateQK(_ buffer: UnsafeMutablePointer<Float>, inverse: Bool) {
        let c = config, T = seqLen, hd = c.headDim, qkvWidth = c.qDim + 2 * c.kvDim
        ropeCos.withUnsafeBufferPointer { cosT in
            ropeSin.withUnsafeBufferPointer { sinT in
                parallelChunks(rows, workers: workers) { r in
                    for n in r {
                        let t = n % T
                        let row = buffer + n * qkvWidth
                        let cs = cosT.baseAddress! + t * (hd / 2), sn = sinT.baseAddress! + t * (hd / 2)
                        applyRope(row, heads: c.numHeads, headDim: hd, cos: cs, sin: sn, inverse: inverse)
                        applyRope(row + c.qDim, heads: c.numKVHeads, headDim: hd, cos: cs, sin: sn, inverse: inverse)
                    }
                }
            }
        }
    }
}
