import CKernels

/// `c[m, n] = Σ_k a[m, k] · w[n, k] (+ c when accumulate)` for a few rows of `a` (decoding batches), with `w` in its
/// stored dtype: every row of `w` is read from memory once and used for all `m` rows while it is in cache
/// (OpenBLAS's sgemm packs `w` and runs edge kernels at such small `m`). Threads split the rows of `w`; every
/// output is computed the same way whatever the split, the row count or the kernel tile.
public func skinnyGemm(m: Int, a: UnsafePointer<Float>, lda: Int, w: WeightMatrix, accumulate: Bool,
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

/// The fp32 form over a raw matrix `w[n, k]` with leading dimension `ldw` (attention over the KV cache).
public func skinnyGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, w: UnsafePointer<Float>,
                       ldw: Int, accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int,
                       level: KernelLevel = .active) {
    guard m > 0, n > 0 else { return }
    let taskRows = 32
    let tasks = (n + taskRows - 1) / taskRows
    let body = { (task: Int) in
        let lo = task * taskRows, hi = min(n, lo + taskRows)
        kasane_rows_dot(level.rawValue, WeightDType.f32.rawValue, a, lda, m, w + lo * ldw, ldw, hi - lo, k,
                        c + lo, ldc, accumulate ? 1 : 0)
    }
    if n * m * k < 1 << 16 { for t in 0..<tasks { body(t) } } else { parallelFor(0..<tasks, body: body) }
}
