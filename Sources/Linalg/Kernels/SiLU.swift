import CKernels

/// SwiGLU activation: `gate[i] = silu(gate[i]) * up[i]` with `silu(z) = z · σ(z)`, in place on `gate`, on the
/// widest vector lanes `level` allows (the Cephes exp of Linalg's exp8; fused multiply-adds may change last bits).
public func siluMultiply(gate: UnsafeMutableBufferPointer<Float>, up: UnsafeBufferPointer<Float>,
                         level: KernelLevel = .active) {
    precondition(up.count >= gate.count, "siluMultiply: up shorter than gate")
    guard let g = gate.baseAddress, let u = up.baseAddress else { return }
    kasane_silu_multiply(level.rawValue, g, u, gate.count)
}
