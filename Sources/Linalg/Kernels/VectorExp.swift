// A vectorised exp for softmax and SiLU: the Cephes expf polynomial on SIMD8 lanes, about 1 ulp from expf over the
// range softmax and SiLU use. Scalar `expf` per element would dominate attention at long prompts.
// Only lane-wise arithmetic and bit casts are used: Swift's generic SIMD rounding/conversion initialisers are not
// vectorised and cost more than the polynomial.

@inline(__always)
func exp8(_ input: SIMD8<Float>) -> SIMD8<Float> {
    // Clamped with masks: the generic pointwiseMin/Max were left as calls, several % of COMET's encoder time.
    let high = input.replacing(with: 88.0, where: input .> 88.0)
    let x0 = high.replacing(with: -87.0, where: high .< -87.0)
    // n = round(x · log2 e): adding 1.5·2^23 leaves the rounded integer in the low mantissa bits.
    let magic = SIMD8<Float>(repeating: 12582912.0)
    let t = x0 * 1.44269504088896341 + magic
    let n = t - magic
    var x = x0 - n * 0.693359375
    x = x - n * -2.12194440e-4
    let z = x * x
    var y = SIMD8<Float>(repeating: 1.9875691500e-4)
    y = y * x + 1.3981999507e-3
    y = y * x + 8.3334519073e-3
    y = y * x + 4.1665795894e-2
    y = y * x + 1.6666665459e-1
    y = y * x + 5.0000001201e-1
    y = y * z + x + 1
    let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let scale = unsafeBitCast((ni &+ 127) &<< 23, to: SIMD8<Float>.self)
    return y * scale
}

/// e^x with the same polynomial as the vector path, for loop tails (so results do not depend on alignment).
@inline(__always)
func exp1(_ x: Float) -> Float {
    exp8(SIMD8(repeating: x))[0]
}
