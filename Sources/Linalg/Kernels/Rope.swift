/// Rotary embedding in the HF `rotate_half` (half-split, NeoX) convention on one head vector of length `2·half`:
/// `out[i] = x[i]·cos_i − x[i+half]·sin_i`, `out[i+half] = x[i+half]·cos_i + x[i]·sin_i`.
/// `cos` and `sin` hold the `half` angles of this position.
public func applyRope(_ x: UnsafeMutableBufferPointer<Float>, cos: UnsafeBufferPointer<Float>,
                      sin: UnsafeBufferPointer<Float>) {
    let half = x.count / 2
    precondition(x.count == 2 * half && cos.count >= half && sin.count >= half, "applyRope: length mismatch")
    guard half > 0, let p = x.baseAddress, let c = cos.baseAddress, let s = sin.baseAddress else { return }
    for i in 0..<half {
        let a = p[i], b = p[i + half]
        p[i] = a * c[i] - b * s[i]
        p[i + half] = b * c[i] + a * s[i]
    }
}
