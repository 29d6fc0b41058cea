import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// `c[m, n] = a[m, k] · wᵀ + beta · c` for many rows of `a` (prefill) with OpenBLAS's sgemm: fp32 blocks are used in
/// place; bf16 and f16 blocks are widened a panel of rows at a time into `panel`, a reused buffer of
/// `panelElements(for: w)` floats small enough to stay in cache while sgemm packs it.
///
/// Each product is split over weight rows on Kasane's pool, with OpenBLAS single-threaded (`BLAS.singleThreaded`):
/// beside other processes a multi-threaded OpenBLAS call waits for every one of its threads to get a core, while the
/// pool's caller never waits for a thread that has not started. Beside two busy loops an evaluation went from 1.37× to
/// 1.02× its quiet time, and the quiet time did not grow (docs/BENCHMARKS.md).
public func panelGemm(m: Int, a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
                      c: UnsafeMutablePointer<Float>, ldc: Int, panel: UnsafeMutablePointer<Float>,
                      level: KernelLevel = .active) {
    panelGemm(rowGroups: [0..<m], a: a, lda: lda, w: w, beta: beta, c: c, ldc: ldc, panel: panel, level: level)
}

/// `panelGemm` over several groups of rows of `a` and `c`, each multiplied by its own sgemm (its own row count, as
/// if it were the whole call: OpenBLAS's summation may depend on it), every panel widened once for all of them.
public func panelGemm(rowGroups: [Range<Int>], a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
                      c: UnsafeMutablePointer<Float>, ldc: Int, panel: UnsafeMutablePointer<Float>,
                      level: KernelLevel = .active) {
    let groups = rowGroups.filter { !$0.isEmpty }
    guard !groups.isEmpty, w.rows > 0 else { return }
    BLAS.singleThreaded {
        multiplyByPanels(groups: groups, a: a, lda: lda, w: w, beta: beta, c: c, ldc: ldc, panel: panel, level: level)
    }
}

private func multiplyByPanels(groups: [Range<Int>], a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
                              c: UnsafeMutablePointer<Float>, ldc: Int, panel: UnsafeMutablePointer<Float>,
                              level: KernelLevel) {
    let k = w.cols
    /// Every group times the weight rows at `weights` (`count` of them), into output columns from `column`.
    func multiplyGroups(by weights: UnsafePointer<Float>, count: Int, column: Int) {
        for g in groups {
            BLAS.sgemm(transB: true, m: g.count, n: count, k: k, a: a + g.lowerBound * lda, lda: lda, b: weights,
                       ldb: k, beta: beta, c: c + g.lowerBound * ldc + column, ldc: ldc)
        }
    }
    var rowOffset = 0
    for block in w.blocks {
        defer { rowOffset += block.rows }
        if w.dtype == .f32 {
            let weights = block.base.assumingMemoryBound(to: Float.self)
            forWeightRowPieces(block.rows) { rows in
                multiplyGroups(by: weights + rows.lowerBound * k, count: rows.count,
                               column: rowOffset + rows.lowerBound)
            }
            continue
        }
        let step = panelRows(cols: k)
        var lo = 0
        while lo < block.rows {
            let n = min(step, block.rows - lo)
            // Each piece widens its own rows and multiplies them at once, while they are in cache.
            forWeightRowPieces(n) { rows in
                let piece = panel + rows.lowerBound * k
                kasane_widen(level.rawValue, w.dtype.rawValue, w.row(lo + rows.lowerBound, of: block),
                             rows.count * k, piece)
                multiplyGroups(by: piece, count: rows.count, column: rowOffset + lo + rows.lowerBound)
            }
            lo += n
        }
    }
}

/// Runs `body` on pieces of `0..<count` weight rows over the pool: at most 16 pieces of a multiple of 64 rows, several
/// per thread so a thread that is late beside other processes leaves its share to the others. The cut depends on
/// `count` alone, never on the thread count: OpenBLAS picks its kernel from each call's shape (small products take
/// another summation order), so the same pieces must be multiplied whatever the threads.
private func forWeightRowPieces(_ count: Int, body: (Range<Int>) -> Void) {
    let per = max(64, (count + 16 * 64 - 1) / (16 * 64) * 64)
    let pieces = (count + per - 1) / per
    parallelFor(0..<pieces) { p in body((p * per)..<min(count, (p + 1) * per)) }
}

/// Floats of the panel buffer `panelGemm` needs for `w`.
public func panelElements(for w: WeightMatrix) -> Int { w.dtype == .f32 ? 0 : panelRows(cols: w.cols) * w.cols }

/// About 4 MB of fp32 rows (the size of L2 here), at least 16 rows; `KASANE_PANEL_MB` sets another size (A/B runs).
private func panelRows(cols: Int) -> Int { max(16, panelFloats / max(cols, 1) / 16 * 16) }

private let panelFloats: Int = {
    if let v = getenv("KASANE_PANEL_MB"), let mb = Int(String(cString: v)), mb > 0 { return mb << 18 }
    return 1 << 20
}()
