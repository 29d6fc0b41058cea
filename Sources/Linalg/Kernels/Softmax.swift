/// Softmax in place over `x`, in fp32 (HF computes attention softmax in fp32 whatever the activation dtype).
public func softmaxInPlace(_ x: UnsafeMutableBufferPointer<Float>) {
    let n = x.count
    guard n > 0, let p = x.baseAddress else { return }
    var maxValue = -Float.infinity
    for i in 0..<n where p[i] > maxValue { maxValue = p[i] }
    if maxValue == -Float.infinity {  // every entry masked: no finite score; leave a uniform row rather than NaN
        let u = 1 / Float(n)
        for i in 0..<n { p[i] = u }
        return
    }
    var sum8 = SIMD8<Float>(repeating: 0)
    var i = 0
    let m8 = SIMD8<Float>(repeating: maxValue)
    while i + 8 <= n {
        let raw = UnsafeRawPointer(p + i)
        let e = exp8(raw.loadUnaligned(as: SIMD8<Float>.self) - m8)
        UnsafeMutableRawPointer(p + i).storeBytes(of: e, as: SIMD8<Float>.self)
        sum8 += e
        i += 8
    }
    var sum = sum8.sum()
    while i < n {
        let e = exp1(p[i] - maxValue)
        p[i] = e
        sum += e
        i += 1
    }
    let inv = 1 / sum
    for j in 0..<n { p[j] *= inv }
}
