import Testing
@testable import Linalg

private func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRandom(seed: seed)
    return (0..<count).map { _ in Float(rng.nextGaussian()) }
}

/// `sequentialGemm` against double precision, and the exactness attention relies on: a row alone equals the row
/// among others, and a sum over k split in two calls equals the sum in one.
@Suite struct SequentialGemmTests {
    static let levels = KernelLevel.allCases.filter { $0 <= KernelLevel.best }

    /// Every variant, 1...13 rows (past the widest row tile), column counts on and off the vector width and past
    /// the widest column tile, k = 0 (writes zeros, or leaves c when accumulating).
    @Test(arguments: levels)
    func matchesReference(level: KernelLevel) {
        for (n, k) in [(64, 70), (37, 9), (5, 1), (128, 0), (8, 33), (100, 64)] {
            let lda = k + 2, ldb = n + 1, ldc = n + 3
            let b = randomFloats(max(k, 1) * ldb, seed: UInt64(n + k))
            for m in 1...13 {
                let a = randomFloats(m * lda, seed: UInt64(m))
                for accumulate in [false, true] {
                    var c = [Float](repeating: -7, count: m * ldc)
                    for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0.5 } }
                    sequentialGemm(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, accumulate: accumulate,
                                   c: &c, ldc: ldc, level: level)
                    var worst = 0.0
                    for i in 0..<m {
                        for j in 0..<n {
                            var ref = accumulate ? 0.5 : 0, magnitude = abs(ref)
                            for t in 0..<k {
                                let term = Double(a[i * lda + t]) * Double(b[t * ldb + j])
                                ref += term
                                magnitude += abs(term)
                            }
                            worst = max(worst, abs(Double(c[i * ldc + j]) - ref) / (1e-5 * (1 + magnitude)))
                        }
                        for j in n..<ldc where c[i * ldc + j] != -7 {
                            Issue.record("\(level) m \(m) n \(n): column \(j) past n was written")
                        }
                    }
                    #expect(worst <= 1, "\(level) m \(m) n \(n) k \(k) acc \(accumulate): worst \(worst)× tolerance")
                }
            }
        }
    }

    @Test(arguments: levels)
    func rowsAloneAndSplitSumsAreExact(level: KernelLevel) {
        let m = 13, n = 72, k = 91, split = 37
        let a = randomFloats(m * k, seed: 1), b = randomFloats(k * n, seed: 2)
        var whole = [Float](repeating: 0, count: m * n)
        sequentialGemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, accumulate: false, c: &whole, ldc: n,
                       level: level)
        var pieces = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let a = a.baseAddress!, b = b.baseAddress!
                sequentialGemm(m: m, n: n, k: split, a: a, lda: k, b: b, ldb: n, accumulate: false, c: &pieces,
                               ldc: n, level: level)
                sequentialGemm(m: m, n: n, k: k - split, a: a + split, lda: k, b: b + split * n, ldb: n,
                               accumulate: true, c: &pieces, ldc: n, level: level)
                for i in [0, 5, 6, 12] {
                    var alone = [Float](repeating: 0, count: n)
                    sequentialGemm(m: 1, n: n, k: k, a: a + i * k, lda: k, b: b, ldb: n, accumulate: false,
                                   c: &alone, ldc: n, level: level)
                    #expect(alone == Array(whole[(i * n)..<((i + 1) * n)]), "\(level): row \(i)")
                }
            }
        }
        #expect(pieces == whole, "\(level): split sum")
    }
}
