import COpenBLAS
import Linalg

/// A linear layer `c[rows, n] = a[rows, k] · wᵀ + beta · c` (beta 0 or 1) with `w` in its stored dtype; every row is
/// computed as if it were alone in the call (`rowDotGemm`), so all sequences of a pass share one call.
func linear(rows: Int, a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
            c: UnsafeMutablePointer<Float>, ldc: Int) {
    rowDotGemm(m: rows, a: a, lda: lda, w: w, accumulate: beta == 1, c: c, ldc: ldc)
}

/// `c[m, n] = alpha · a[m, k] · b[n, k]ᵀ + beta · c` (row-major, attention's Q·Kᵀ), with leading dimensions for
/// strided views.
@inline(__always)
func gemmTransposedB(m: Int, n: Int, k: Int, alpha: Float = 1,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
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
