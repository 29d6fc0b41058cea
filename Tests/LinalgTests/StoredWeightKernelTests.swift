import Testing
@testable import Linalg

/// A random matrix stored in `dtype`, with the fp32 values it stands for (exact: every bf16/f16 is an fp32).
private struct StoredRandomMatrix {
    let matrix: WeightMatrix
    let values: [Float]  // rows·cols, what the stored bits mean

    /// `splits` row counts become separate blocks (a fused projection), each in its own allocation.
    init(dtype: WeightDType, rows: Int, cols: Int, splits: [Int]? = nil, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        var values: [Float] = []
        var blocks: [WeightMatrix.Block] = []
        var owners: [OwnedBytes] = []
        for blockRows in splits ?? [rows] {
            let bytes = OwnedBytes(byteCount: blockRows * cols * dtype.byteSize)
            for i in 0..<(blockRows * cols) {
                let x = Float(rng.nextGaussian())
                switch dtype {
                case .f32:
                    bytes.pointer.storeBytes(of: x, toByteOffset: 4 * i, as: Float.self)
                    values.append(x)
                case .bf16:
                    bytes.pointer.storeBytes(of: floatToBF16(x), toByteOffset: 2 * i, as: UInt16.self)
                    values.append(roundedToBF16(x))
                case .f16:
                    let h = floatToHalf(x)
                    bytes.pointer.storeBytes(of: h, toByteOffset: 2 * i, as: UInt16.self)
                    values.append(halfToFloat(h))
                }
            }
            blocks.append(WeightMatrix.Block(base: UnsafeRawPointer(bytes.pointer), rows: blockRows))
            owners.append(bytes)
        }
        matrix = WeightMatrix(dtype: dtype, cols: cols, blocks: blocks, owner: owners as AnyObject)
        self.values = values
    }
}

private func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRandom(seed: seed)
    return (0..<count).map { _ in Float(rng.nextGaussian()) }
}

/// `c` against a double-precision reference within 1e-5 of the sum of |terms| (fp32 accumulation error).
private func expectMatchesReference(_ c: [Float], ldc: Int, a: [Float], lda: Int, m: Int, w: StoredRandomMatrix,
                                    initial: Float?, _ label: String) {
    let n = w.matrix.rows, k = w.matrix.cols
    var worst = 0.0
    for i in 0..<m {
        for j in 0..<n {
            var ref = Double(initial ?? 0), magnitude = abs(ref)
            for t in 0..<k {
                let term = Double(a[i * lda + t]) * Double(w.values[j * k + t])
                ref += term
                magnitude += abs(term)
            }
            worst = max(worst, abs(Double(c[i * ldc + j]) - ref) / (1e-5 * (1 + magnitude)))
        }
        for j in n..<ldc where c[i * ldc + j] != -7 { Issue.record("\(label): column \(j) past n was written") }
    }
    #expect(worst <= 1, "\(label): worst error \(worst)× tolerance")
}

@Suite struct StoredWeightKernelTests {
    static let levels = KernelLevel.allCases.filter { $0 <= KernelLevel.best }
    static let dtypes: [WeightDType] = [.f32, .bf16, .f16]

    /// Every variant this CPU runs, every dtype, 1...12 rows, odd n and k (k across the 512-element chunk).
    @Test(arguments: dtypes)
    func rowDotMatchesReference(dtype: WeightDType) {
        for (n, k) in [(37, 45), (67, 1037), (5, 7)] {
            let w = StoredRandomMatrix(dtype: dtype, rows: n, cols: k, seed: UInt64(n * k))
            let lda = k + 3, ldc = n + 2
            for level in Self.levels {
                for m in 1...12 {
                    let a = randomFloats(m * lda, seed: UInt64(m))
                    for accumulate in [false, true] {
                        var c = [Float](repeating: -7, count: m * ldc)
                        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0.5 } }
                        rowDotGemm(m: m, a: a, lda: lda, w: w.matrix, accumulate: accumulate, c: &c, ldc: ldc,
                                   level: level)
                        expectMatchesReference(c, ldc: ldc, a: a, lda: lda, m: m, w: w, initial: accumulate ? 0.5 : nil,
                                               "\(dtype) \(level) m \(m) n \(n) k \(k) acc \(accumulate)")
                    }
                }
            }
        }
    }

    /// A row's result does not depend on how many rows run beside it, on the blocks, or on the thread split.
    @Test(arguments: dtypes)
    func resultsAreIndependentOfBatchAndSplit(dtype: WeightDType) {
        let n = 301, k = 517
        let whole = StoredRandomMatrix(dtype: dtype, rows: n, cols: k, seed: 11)
        let split = StoredRandomMatrix(dtype: dtype, rows: n, cols: k, splits: [100, 1, 200], seed: 11)
        let m = 43  // several of the kernel's row groups, the last one of 7: a tile of 4, a pair and a single row
        let a = randomFloats(m * k, seed: 3)
        var batch = [Float](repeating: 0, count: m * n)
        rowDotGemm(m: m, a: a, lda: k, w: whole.matrix, accumulate: false, c: &batch, ldc: n)
        var blocks = [Float](repeating: 0, count: m * n)
        rowDotGemm(m: m, a: a, lda: k, w: split.matrix, accumulate: false, c: &blocks, ldc: n)
        #expect(batch == blocks)
        for i in [0, 5, 11, 12, 39, 40, 41, 42] {
            var single = [Float](repeating: 0, count: n)
            a.withUnsafeBufferPointer { ap in
                rowDotGemm(m: 1, a: ap.baseAddress! + i * k, lda: k, w: whole.matrix, accumulate: false, c: &single,
                           ldc: n)
            }
            #expect(single == Array(batch[(i * n)..<((i + 1) * n)]), "row \(i)")
        }
    }

    /// Prompt-sized row counts (several row groups of the kernel) against the reference, over split blocks.
    @Test(arguments: dtypes)
    func manyRowsMatchReference(dtype: WeightDType) {
        let m = 53, k = 1037, n = 600
        let w = StoredRandomMatrix(dtype: dtype, rows: n, cols: k, splits: [250, 350], seed: 5)
        let a = randomFloats(m * k, seed: 9)
        let ldc = n + 1
        for accumulate in [false, true] {
            var c = [Float](repeating: -7, count: m * ldc)
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0.5 } }
            rowDotGemm(m: m, a: a, lda: k, w: w.matrix, accumulate: accumulate, c: &c, ldc: ldc)
            expectMatchesReference(c, ldc: ldc, a: a, lda: k, m: m, w: w, initial: accumulate ? 0.5 : nil,
                                   "\(dtype) acc \(accumulate)")
        }
    }

    @Test(arguments: dtypes)
    func copyRowWidensExactly(dtype: WeightDType) {
        let w = StoredRandomMatrix(dtype: dtype, rows: 9, cols: 37, splits: [4, 5], seed: 2)
        var row = [Float](repeating: 0, count: 37)
        for r in [0, 3, 4, 8] {
            w.matrix.copyRow(r, into: &row)
            #expect(row == Array(w.values[(r * 37)..<((r + 1) * 37)]), "row \(r)")
        }
    }
}
