/// `c[m, n] = Σ_k a[m, k] · w[n, k] (+ c when accumulate)` for a few rows of `a` (decoding batches): every row of
/// `w` is read from memory once and used for all `m` rows while it is in cache. OpenBLAS's sgemm packs `w` and
/// runs edge kernels at such small `m`; this stays at memory speed. Threads split the rows of `w`.
public func skinnyGemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, w: UnsafePointer<Float>,
                       ldw: Int, accumulate: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) {
    guard m > 0, n > 0 else { return }
    let block = 32  // rows of w per task: small enough to balance, large enough to amortise the hand-out
    let tasks = (n + block - 1) / block
    let body = { (task: Int) in
        let lo = task * block, hi = min(n, lo + block)
        var row = lo
        while row + 1 < hi {
            var first = 0
            while first + 4 <= m {
                skinny4x2(a + first * lda, lda, w + row * ldw, ldw, k, c + first * ldc + row, ldc, accumulate)
                first += 4
            }
            while first < m {
                skinny1x2(a + first * lda, w + row * ldw, ldw, k, c + first * ldc + row, accumulate)
                first += 1
            }
            row += 2
        }
        if row < hi {
            for i in 0..<m {
                let v = skinnyDot(a + i * lda, w + row * ldw, k)
                c[i * ldc + row] = accumulate ? c[i * ldc + row] + v : v
            }
        }
    }
    if tasks * m * k < 1 << 16 { for t in 0..<tasks { body(t) } } else { parallelFor(0..<tasks, body: body) }
}

@inline(__always)
private func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
}

/// Four rows of a against two rows of w: 8 accumulators, each w load used four times.
@inline(__always)
private func skinny4x2(_ a: UnsafePointer<Float>, _ lda: Int, _ w: UnsafePointer<Float>, _ ldw: Int, _ k: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
    let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
    let w0 = w, w1 = w + ldw
    var s00 = SIMD4<Float>(), s01 = SIMD4<Float>(), s10 = SIMD4<Float>(), s11 = SIMD4<Float>()
    var s20 = SIMD4<Float>(), s21 = SIMD4<Float>(), s30 = SIMD4<Float>(), s31 = SIMD4<Float>()
    var i = 0
    while i + 4 <= k {
        let x0 = load4(w0 + i), x1 = load4(w1 + i)
        let b0 = load4(a0 + i), b1 = load4(a1 + i), b2 = load4(a2 + i), b3 = load4(a3 + i)
        s00 += b0 * x0; s01 += b0 * x1
        s10 += b1 * x0; s11 += b1 * x1
        s20 += b2 * x0; s21 += b2 * x1
        s30 += b3 * x0; s31 += b3 * x1
        i += 4
    }
    var r00 = s00.sum(), r01 = s01.sum(), r10 = s10.sum(), r11 = s11.sum()
    var r20 = s20.sum(), r21 = s21.sum(), r30 = s30.sum(), r31 = s31.sum()
    while i < k {
        let x0 = w0[i], x1 = w1[i]
        r00 += a0[i] * x0; r01 += a0[i] * x1
        r10 += a1[i] * x0; r11 += a1[i] * x1
        r20 += a2[i] * x0; r21 += a2[i] * x1
        r30 += a3[i] * x0; r31 += a3[i] * x1
        i += 1
    }
    store2(c, r00, r01, accumulate)
    store2(c + ldc, r10, r11, accumulate)
    store2(c + 2 * ldc, r20, r21, accumulate)
    store2(c + 3 * ldc, r30, r31, accumulate)
}

@inline(__always)
private func store2(_ c: UnsafeMutablePointer<Float>, _ v0: Float, _ v1: Float, _ accumulate: Bool) {
    if accumulate { c[0] += v0; c[1] += v1 } else { c[0] = v0; c[1] = v1 }
}

@inline(__always)
private func skinny1x2(_ a: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ ldw: Int, _ k: Int,
                       _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
    let w0 = w, w1 = w + ldw
    var s0 = SIMD4<Float>(), s1 = SIMD4<Float>(), t0 = SIMD4<Float>(), t1 = SIMD4<Float>()
    var i = 0
    while i + 8 <= k {
        let b = load4(a + i), b2 = load4(a + i + 4)
        s0 += b * load4(w0 + i); s1 += b * load4(w1 + i)
        t0 += b2 * load4(w0 + i + 4); t1 += b2 * load4(w1 + i + 4)
        i += 8
    }
    var r0 = (s0 + t0).sum(), r1 = (s1 + t1).sum()
    while i < k { r0 += a[i] * w0[i]; r1 += a[i] * w1[i]; i += 1 }
    if accumulate { c[0] += r0; c[1] += r1 } else { c[0] = r0; c[1] = r1 }
}

@inline(__always)
private func skinnyDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ k: Int) -> Float {
    var s = SIMD4<Float>()
    var i = 0
    while i + 4 <= k { s += load4(a + i) * load4(b + i); i += 4 }
    var r = s.sum()
    while i < k { r += a[i] * b[i]; i += 1 }
    return r
}
