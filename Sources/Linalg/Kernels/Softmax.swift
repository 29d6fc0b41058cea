import Foundation

/// Softmax in place over `x`, in fp32 (HF computes attention softmax in fp32 whatever the activation dtype).
public func softmaxInPlace(_ x: UnsafeMutableBufferPointer<Float>) {
    let n = x.count
    guard n > 0, let p = x.baseAddress else { return }
    let maxValue = maximum(UnsafePointer(p), n)
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

/// The largest of `p[0..<n]` (NaNs skipped, -inf when all are), eight lanes at a time: the scalar loop's branch per
/// score cost as much as the exponentials. The maximum is exact, so the lane order does not change it.
@inline(__always)
private func maximum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var lanes = SIMD8<Float>(repeating: -Float.infinity)
    var i = 0
    while i + 8 <= n {
        let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
        lanes = lanes.replacing(with: v, where: v .> lanes)
        i += 8
    }
    var result = -Float.infinity
    for lane in 0..<8 where lanes[lane] > result { result = lanes[lane] }
    while i < n { if p[i] > result { result = p[i] }; i += 1 }
    return result
}
