import COpenBLAS
import Foundation
import Linalg

/// Rows up to which linear layers use `skinnyGemm` (decoding batches) instead of OpenBLAS, whose sgemm packs the
/// weight and runs edge kernels at such small row counts. `KASANE_SKINNY_ROWS=0` always uses OpenBLAS (A/B runs).
let skinnyRowLimit: Int = {
    if let v = ProcessInfo.processInfo.environment["KASANE_SKINNY_ROWS"], let n = Int(v), n >= 0 { return n }
    return 12
}()

/// A linear layer `c[m, n] = a[m, k] · wᵀ + beta · c` (beta 0 or 1) with `w` in its stored dtype: the few-row
/// kernels for decoding batches, OpenBLAS (over widened panels for bf16/f16) for longer runs of rows.
func linear(m: Int, a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
            c: UnsafeMutablePointer<Float>, ldc: Int, workspace: Workspace) {
    if m <= skinnyRowLimit {
        skinnyGemm(m: m, a: a, lda: lda, w: w, accumulate: beta == 1, c: c, ldc: ldc)
        return
    }
    let panel = workspace.buffer(.panel, count: panelElements(for: w))
    panelGemm(m: m, a: a, lda: lda, w: w, beta: beta, c: c, ldc: ldc, panel: panel)
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
