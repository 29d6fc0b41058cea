import Testing
@testable import Linalg

/// C = alpha·op(A)·op(B) + beta·C computed naively in Double, for comparison.
private func naive(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], lda: Int,
                   b: [Float], ldb: Int, beta: Float, c: [Float], ldc: Int) -> [Float] {
    var out = c
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let av = transA ? a[p * lda + i] : a[i * lda + p]
                let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                s += Double(av) * Double(bv)
            }
            out[i * ldc + j] = Float(Double(alpha) * s + Double(beta) * Double(c[i * ldc + j]))
        }
    }
    return out
}

@Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
func sgemmMatchesNaiveLoop(transA: Bool, transB: Bool) {
    var rng = SplitMix64(seed: 42)
    let m = 37, n = 29, k = 53
    // Padded leading dimensions exercise the ld arguments.
    let lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 5
    let a = (0..<((transA ? k : m) * lda)).map { _ in rng.float() }
    let b = (0..<((transB ? n : k) * ldb)).map { _ in rng.float() }
    let c0 = (0..<(m * ldc)).map { _ in rng.float() }
    let expected = naive(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda,
                         b: b, ldb: ldb, beta: -0.5, c: c0, ldc: ldc)
    var c = c0
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            c.withUnsafeMutableBufferPointer { cp in
                BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.75, a: ap.baseAddress!, lda: lda,
                           b: bp.baseAddress!, ldb: ldb, beta: -0.5, c: cp.baseAddress!, ldc: ldc)
            }
        }
    }
    var worst: Float = 0
    for i in 0..<c.count { worst = max(worst, abs(c[i] - expected[i])) }
    #expect(worst < 1e-4)
}

@Test func sgemmDefaultLeadingDimensionsAndGemv() {
    // [2x3] · [3x2] with packed rows; weight-style B stored [n, k] with transB.
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    let bT: [Float] = [1, 0, 1, 0, 1, 0]      // rows: (1,0,1), (0,1,0)
    var c = [Float](repeating: 0, count: 4)
    BLAS.sgemm(transB: true, m: 2, n: 2, k: 3, a: a, b: bT, c: &c)
    #expect(c == [4, 2, 10, 5])
    var y = [Float](repeating: 1, count: 2)
    BLAS.sgemv(rows: 2, cols: 3, a: a, x: [1, 1, 1], beta: 1, y: &y)
    #expect(y == [7, 16])
    var z = [Float](repeating: 0, count: 3)
    BLAS.sgemv(trans: true, rows: 2, cols: 3, a: a, x: [1, -1], y: &z)
    #expect(z == [-3, -3, -3])
}
