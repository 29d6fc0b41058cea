import CKernels

/// `c[m, n] = Σ_k a[m, k] · w[n, k] (+ c when accumulate)`, a linear layer at any row count, with `w` in its stored
/// dtype (widened in registers, never copied): each output is a dot product of a row of `a` and a row of `w`, summed
/// the same way whatever the split over threads, the row count or the kernel tile, so a row's result never depends
/// on what else is batched with it. Threads split the rows of `w`.
///
/// It replaced OpenBLAS for linear layers: on one thread here it runs at 101–109 GFLOP/s on bf16 weights and 82–106
/// on fp32, at or above sgemm (which bf16 weights had to be widened for first; docs/BENCHMARKS.md, "Row-dot GEMM"),
/// and since rows are independent a whole pass is one call, where sgemm needed one call per sequence, each packing
/// the weights again.
public func rowDotGemm(m: Int, a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, accumulate: Bool,
                       c: UnsafeMutablePointer<Float>, ldc: Int, level: KernelLevel = .active) {
    guard m > 0, w.rows > 0 else { return }
    let taskRows = 32  // rows of w per task: small enough to balance, large enough to amortise the hand-out
    var firstTask: [Int] = []  // per block
    var tasks = 0
    for block in w.blocks {
        firstTask.append(tasks)
        tasks += (block.rows + taskRows - 1) / taskRows
    }
    let body = { (task: Int) in
        var b = w.blocks.count - 1
        while firstTask[b] > task { b -= 1 }
        let block = w.blocks[b]
        var rowOffset = 0
        for p in 0..<b { rowOffset += w.blocks[p].rows }
        let lo = (task - firstTask[b]) * taskRows, hi = min(block.rows, lo + taskRows)
        kasane_rows_dot(level.rawValue, w.dtype.rawValue, a, lda, m, w.row(lo, of: block), w.cols, hi - lo, w.cols,
                        c + rowOffset + lo, ldc, accumulate ? 1 : 0)
    }
    if w.rows * m * w.cols < 1 << 16 { for t in 0..<tasks { body(t) } } else { parallelFor(0..<tasks, body: body) }
}
