import CKernels

/// `c[m, n] = a[m, k] · b[k, n] (+ c when accumulate)`, row-major with leading dimensions, on the calling thread:
/// attention's two products (Q·Kᵀ over keys stored transposed, and P·V). Each output is one fused multiply-add
/// chain over k in order, whatever tile computed it, so
/// - a row comes out the same whatever other rows are in the call, and
/// - a sum over k split into two calls (the second accumulating) equals the sum in one call, bit for bit,
/// which lets attention give a position the same bits in a prompt or a decoding step, beside other sequences or
/// not, with or without a shared prefix. No horizontal sums, which at attention's k = head size (64–128) cost about
/// as much as the products: with the row-dot kernel for Q·Kᵀ the two products took 10.4% of an evaluation's time,
/// with this one for both 8.8–9.0% (perf, 150m, 20 samples per dataset).
public func sequentialGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                           ldb: Int, accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int,
                           level: KernelLevel = .active) {
    kasane_sequential_gemm(level.rawValue, a, lda, m, b, ldb, k, n, c, ldc, accumulate ? 1 : 0)
}
