import CKernels

/// `c[m, n] = a[m, k] · wᵀ + beta · c` for many rows of `a` (prefill) with OpenBLAS's sgemm: fp32 blocks are used in
/// place; bf16 and f16 blocks are widened a panel of rows at a time into `panel`, a reused buffer of
/// `panelElements(for: w)` floats small enough to stay in cache while sgemm packs it.
public func panelGemm(m: Int, a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
                      c: UnsafeMutablePointer<Float>, ldc: Int, panel: UnsafeMutablePointer<Float>,
                      level: KernelLevel = .active) {
    guard m > 0, w.rows > 0 else { return }
    let k = w.cols
    var rowOffset = 0
    for block in w.blocks {
        defer { rowOffset += block.rows }
        if w.dtype == .f32 {
            BLAS.sgemm(transB: true, m: m, n: block.rows, k: k, a: a, lda: lda,
                       b: block.base.assumingMemoryBound(to: Float.self), ldb: k, beta: beta,
                       c: c + rowOffset, ldc: ldc)
            continue
        }
        let step = panelRows(cols: k)
        var lo = 0
        while lo < block.rows {
            let n = min(step, block.rows - lo)
            widenRows(w, block: block, from: lo, count: n, into: panel, level: level)
            BLAS.sgemm(transB: true, m: m, n: n, k: k, a: a, lda: lda, b: panel, ldb: k, beta: beta,
                       c: c + rowOffset + lo, ldc: ldc)
            lo += n
        }
    }
}

/// Floats of the panel buffer `panelGemm` needs for `w`.
public func panelElements(for w: WeightMatrix) -> Int { w.dtype == .f32 ? 0 : panelRows(cols: w.cols) * w.cols }

/// About 4 MB of fp32 rows (the size of L2 here), at least 16 rows.
private func panelRows(cols: Int) -> Int { max(16, (1 << 20) / max(cols, 1) / 16 * 16) }

/// Widens `count` rows starting at `from`, split across threads by rows.
private func widenRows(_ w: WeightMatrix, block: WeightMatrix.Block, from: Int, count: Int,
                       into dst: UnsafeMutablePointer<Float>, level: KernelLevel) {
    let pieces = min(count, 4 * Parallel.threadCount)
    let per = (count + pieces - 1) / pieces
    parallelFor(0..<pieces) { p in
        let lo = p * per, hi = min(count, lo + per)
        guard lo < hi else { return }
        kasane_widen(level.rawValue, w.dtype.rawValue, w.row(from + lo, of: block), (hi - lo) * w.cols,
                     dst + lo * w.cols)
    }
}
