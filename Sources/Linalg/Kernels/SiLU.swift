/// SwiGLU activation: `gate[i] = silu(gate[i]) * up[i]` with `silu(z) = z · σ(z)`, in place on `gate`.
public func siluMultiply(gate: UnsafeMutableBufferPointer<Float>, up: UnsafeBufferPointer<Float>) {
    precondition(up.count >= gate.count, "siluMultiply: up shorter than gate")
    guard let g = gate.baseAddress, let u = up.baseAddress else { return }
    let n = gate.count
    var i = 0
    let one = SIMD8<Float>(repeating: 1)
    while i + 8 <= n {
        let z = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD8<Float>.self)
        let v = UnsafeRawPointer(u + i).loadUnaligned(as: SIMD8<Float>.self)
        let s = z / (one + exp8(-z))
        UnsafeMutableRawPointer(g + i).storeBytes(of: s * v, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n {
        let z = g[i]
        g[i] = z / (1 + exp1(-z)) * u[i]
        i += 1
    }
}
