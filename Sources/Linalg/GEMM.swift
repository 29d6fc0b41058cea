import COpenBLAS

extension BLAS {
    /// Row-major single-precision GEMM: `C = alpha · op(A) · op(B) + beta · C`, where op(A) is m×k, op(B) is k×n
    /// and C is m×n. Leading dimensions default to the packed row lengths (`k` or `m` for A, `n` or `k` for B, `n`
    /// for C). With `transB`, B is stored n×k: the natural layout of a weight matrix `[out, in]` applied to
    /// activations `[tokens, in]`.
    public static func sgemm(
        transA: Bool = false, transB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int? = nil,
        b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        if m == 0 || n == 0 { return }
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        let ldc = ldc ?? n
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(max(1, lda)), b, blasint(max(1, ldb)),
                    beta, c, blasint(max(1, ldc)))
    }

    /// Row-major matrix-vector product: `y = alpha · op(A) · x + beta · y` with A stored rows×cols.
    public static func sgemv(
        trans: Bool = false, rows: Int, cols: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int? = nil,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        if rows == 0 || cols == 0 { return }
        cblas_sgemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, blasint(rows), blasint(cols), alpha,
                    a, blasint(max(1, lda ?? cols)), x, 1, beta, y, 1)
    }
}
