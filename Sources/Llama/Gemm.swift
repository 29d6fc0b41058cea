import Linalg

/// A linear layer `c[rows, n] = a[rows, k] · wᵀ + beta · c` (beta 0 or 1) with `w` in its stored dtype; every row is
/// computed as if it were alone in the call (`rowDotGemm`), so all sequences of a pass share one call.
func linear(rows: Int, a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, beta: Float,
            c: UnsafeMutablePointer<Float>, ldc: Int) {
    rowDotGemm(m: rows, a: a, lda: lda, w: w, accumulate: beta == 1, c: c, ldc: ldc)
}
