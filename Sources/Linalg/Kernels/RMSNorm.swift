/// RMSNorm as HF Llama computes it in fp32: `out = weight * (x * rsqrt(mean(x²) + eps))`. `out` may alias `x`.
public func rmsNorm(_ x: UnsafeBufferPointer<Float>, weight: UnsafeBufferPointer<Float>, eps: Float,
                    into out: UnsafeMutableBufferPointer<Float>) {
    let n = x.count
    precondition(weight.count == n && out.count >= n, "rmsNorm: length mismatch")
    guard n > 0, let xp = x.baseAddress, let wp = weight.baseAddress, let op = out.baseAddress else { return }
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= n {
        let v = UnsafeRawPointer(xp + i).loadUnaligned(as: SIMD8<Float>.self)
        acc += v * v
        i += 8
    }
    var sumSquares = acc.sum()
    while i < n { sumSquares += xp[i] * xp[i]; i += 1 }
    let scale = 1 / (sumSquares / Float(n) + eps).squareRoot()
    for j in 0..<n { op[j] = wp[j] * (xp[j] * scale) }
}
