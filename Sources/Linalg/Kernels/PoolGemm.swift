/// `c[m, n] = a[m, k] · wᵀ + bias` with `w` stored `[n, k]` (a `[n]` bias added to every row, when given): a linear
/// layer applied to activations, split into tiles over Kasane's pool, each tile one OpenBLAS call. Meant to run
/// inside `BLAS.singleThreaded`: the pool's caller never waits for a thread that has not started, while an OpenBLAS
/// call waits (spinning on sched_yield) for all of its threads, and concurrent multi-threaded OpenBLAS calls contend
/// for its workers. Every element of `c` is one tile's full dot product over `k` (the last bits may differ from one
/// whole call, as between thread counts).
public func poolGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, w: UnsafePointer<Float>, ldw: Int,
                     bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    let (rowTile, colTile) = poolGemmTiles(m: m, n: n, threads: Parallel.threadCount)
    let rowTiles = (m + rowTile - 1) / rowTile, colTiles = (n + colTile - 1) / colTile
    parallelFor(0..<(rowTiles * colTiles)) { tile in
        let r = (tile / colTiles) * rowTile, j = (tile % colTiles) * colTile
        let rows = min(rowTile, m - r), cols = min(colTile, n - j), out = c + r * ldc + j
        if let bias {   // written by the tile itself, just before its product reads it back
            for i in 0..<rows { (out + i * ldc).update(from: bias + j, count: cols) }
        }
        BLAS.sgemm(transB: true, m: rows, n: cols, k: k, a: a + r * lda, lda: lda, b: w + j * ldw, ldb: ldw,
                   beta: bias == nil ? 0 : 1, c: out, ldc: ldc)
    }
}

/// Tile sizes: at least 4 tiles per thread, so a thread held up beside other processes leaves its share to the
/// others, cut so that OpenBLAS packs as little as it can: every tile packs its `rows × k` activations and its
/// `cols × k` weights, so the split is chosen that minimises `columnTiles · m + rowTiles · n`.
func poolGemmTiles(m: Int, n: Int, threads: Int) -> (rows: Int, cols: Int) {
    let wanted = 4 * max(threads, 1)
    var best = (rows: m, cols: n), bestCost = Int.max
    for columnTiles in 1...max(1, min(wanted, n / 16)) {
        let cols = min(n, ((n + columnTiles - 1) / columnTiles + 15) / 16 * 16)
        let rowTiles = (wanted + columnTiles - 1) / columnTiles
        let rows = min(m, max(16, ((m + rowTiles - 1) / rowTiles + 15) / 16 * 16))
        let cost = ((n + cols - 1) / cols) * m + ((m + rows - 1) / rows) * n
        if cost < bestCost { best = (rows, cols); bestCost = cost }
    }
    return best
}
