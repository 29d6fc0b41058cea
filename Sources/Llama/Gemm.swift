import COpenBLAS
import Foundation
import Linalg

/// Rows up to which linear layers use `skinnyGemm` (decoding batches) instead of OpenBLAS, whose sgemm packs the
/// weight and runs edge kernels at such small row counts. `KASANE_SKINNY_ROWS=0` always uses OpenBLAS (A/B runs).
let skinnyRowLimit: Int = {
    if let v = ProcessInfo.processInfo.environment["KASANE_SKINNY_ROWS"], let n = Int(v), n >= 0 { return n }
    return 12
}()

/// A linear layer `c[rows, n] = a[rows, k] · wᵀ + beta · c` (beta 0 or 1) with `w` in its stored dtype, over rows
/// that come in consecutive groups (one per sequence segment), each computed exactly as if it were the whole call,
/// so a row's numerics never depend on what else is batched with it. A group of at most `skinnyRowLimit` rows goes
/// through the few-row kernels, whose every output is summed the same way whatever the row count, so consecutive
/// short groups share one call; a longer group gets an OpenBLAS call of its own, with its own row count, since
/// OpenBLAS's summation may depend on that count (all long groups share each widened bf16/f16 panel).
func linear(groups: [Int], a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
            c: UnsafeMutablePointer<Float>, ldc: Int, workspace: Workspace) {
    var row = 0, shortRun = 0  // rows of consecutive short groups not yet computed, ending at `row`
    var longGroups: [Range<Int>] = []
    func flushShort() {
        guard shortRun > 0 else { return }
        let first = row - shortRun
        skinnyGemm(m: shortRun, a: a + first * lda, lda: lda, w: w, accumulate: beta == 1, c: c + first * ldc, ldc: ldc)
        shortRun = 0
    }
    for count in groups {
        if count <= skinnyRowLimit {
            shortRun += count
        } else {
            flushShort()
            longGroups.append(row..<(row + count))
        }
        row += count
    }
    flushShort()
    guard !longGroups.isEmpty else { return }
    let panel = workspace.buffer(.panel, count: panelElements(for: w))
    panelGemm(rowGroups: longGroups, a: a, lda: lda, w: w, beta: beta, c: c, ldc: ldc, panel: panel)
}

/// `c[m, n] = alpha · a[m, k] · b[n, k]ᵀ + beta · c` (row-major, the `x · Wᵀ` of a linear layer), with leading
/// dimensions for strided views.
@inline(__always)
func gemmTransposedB(m: Int, n: Int, k: Int, alpha: Float = 1,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m <= skinnyRowLimit && alpha == 1 && (beta == 0 || beta == 1) {
        skinnyGemm(m: m, n: n, k: k, a: a, lda: lda, w: b, ldw: ldb, accumulate: beta == 1, c: c, ldc: ldc)
        return
    }
    if m == 1 {
        // A single row is a GEMV against W (row-major [n, k]): OpenBLAS's gemv streams W once.
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(ldb), a, 1, beta, c, 1)
        return
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// `c[m, n] = a[m, k] · b[k, n] + beta · c` (row-major, no transposes).
@inline(__always)
func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
          beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
