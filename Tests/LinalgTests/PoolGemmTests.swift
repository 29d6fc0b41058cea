import Testing
@testable import Linalg

/// `poolGemm` (a linear layer tiled over the pool) against one whole sgemm, inside `BLAS.singleThreaded`. (That the
/// thread count comes back is not checked: tests run concurrently, and a COMET test may hold its own scope.)
@Test(arguments: [(1, 5, 7), (37, 29, 53), (300, 384, 96), (130, 1536, 64)])
func poolGemmMatchesOneSgemm(m: Int, n: Int, k: Int) {
    var rng = SplitMix64(seed: 7)
    let lda = k + 3, ldc = n + 1
    let a = (0..<(m * lda)).map { _ in rng.float() }
    let w = (0..<(n * k)).map { _ in rng.float() }
    let bias = (0..<n).map { _ in rng.float() }
    var expected = [Float](repeating: 0, count: m * ldc)
    for i in 0..<m { for j in 0..<n { expected[i * ldc + j] = bias[j] } }
    BLAS.sgemm(transB: true, m: m, n: n, k: k, a: a, lda: lda, b: w, ldb: k, beta: 1, c: &expected, ldc: ldc)
    for withBias in [true, false] {
        var c = [Float](repeating: .nan, count: m * ldc)
        BLAS.singleThreaded {
            #expect(BLAS.threadCount == 1)
            c.withUnsafeMutableBufferPointer { cp in
                poolGemm(m: m, n: n, k: k, a: a, lda: lda, w: w, ldw: k, bias: withBias ? bias : nil,
                         c: cp.baseAddress!, ldc: ldc)
            }
        }
        var worst: Float = 0
        for i in 0..<m { for j in 0..<n {
            worst = max(worst, abs(c[i * ldc + j] - (expected[i * ldc + j] - (withBias ? 0 : bias[j]))))
        } }
        #expect(worst < 1e-4)
    }
}

@Test func poolGemmTilesCoverTheProductInEnoughPieces() {
    for (m, n) in [(1, 1), (15, 384), (800, 384), (800, 1536), (3000, 384), (260, 3072)] {
        let (rows, cols) = poolGemmTiles(m: m, n: n, threads: 2)
        #expect(rows >= 1 && rows <= m && cols >= 1 && cols <= n)
        let tiles = ((m + rows - 1) / rows) * ((n + cols - 1) / cols)
        #expect(tiles >= min(8, (m + 15) / 16), "\(m)×\(n): \(rows)×\(cols)")
    }
}
