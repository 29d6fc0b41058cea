// Bit-exact conversions between fp32 and the 16-bit storage formats of checkpoints.
// Reading is exact (every bf16/f16 value is an fp32 value); writing rounds to nearest, ties to even, like torch.

/// bfloat16 bits → fp32 (exact: bf16 is the upper half of an fp32).
@inline(__always)
public func bf16ToFloat(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// fp32 → bfloat16 bits, round to nearest even: the project's one bf16 rounding (checkpoint writing, averaging,
/// the trainer's bf16 view). The NaN rule is torch's (`c10::BFloat16` `round_to_nearest_even`): every NaN, whatever
/// its sign or payload, becomes the canonical quiet NaN 0x7FC0. So 0x7FC00001 → 0x7FC0, 0xFFC00000 (−NaN) → 0x7FC0
/// and the signalling 0x7F800001 → 0x7FC0, where the bare rounding formula would give 0x7FC0, 0xFFC0 and 0x7F80 (inf!).
@inline(__always)
public func floatToBF16(_ value: Float) -> UInt16 {
    let x = value.bitPattern
    if x & 0x7FFF_FFFF > 0x7F80_0000 { return 0x7FC0 }
    return UInt16(truncatingIfNeeded: (x &+ 0x7FFF &+ ((x >> 16) & 1)) >> 16)
}

/// The fp32 value a bf16 tensor stores for `value`.
@inline(__always)
public func roundedToBF16(_ value: Float) -> Float { bf16ToFloat(floatToBF16(value)) }

/// IEEE half bits → fp32 (exact).
@inline(__always)
public func halfToFloat(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let magnitude = UInt32(bits & 0x7FFF)
    if magnitude >= 0x7C00 {                      // inf / NaN: keep the payload
        return Float(bitPattern: sign | 0x7F80_0000 | ((magnitude & 0x03FF) << 13))
    }
    if magnitude >= 0x0400 {                      // normal: rebias the exponent from 15 to 127
        return Float(bitPattern: sign | ((magnitude << 13) &+ 0x3800_0000))
    }
    // zero or subnormal: magnitude · 2^-24, exact in fp32
    let f = Float(magnitude) * 5.960464477539063e-08
    return Float(bitPattern: sign | f.bitPattern)
}

/// fp32 → IEEE half bits, round to nearest even; overflow gives ±inf, NaN becomes the quiet NaN 0x7E00 (as torch).
@inline(__always)
public func floatToHalf(_ value: Float) -> UInt16 {
    let x = value.bitPattern
    let sign = UInt16(truncatingIfNeeded: (x >> 16) & 0x8000)
    let magnitude = x & 0x7FFF_FFFF
    if magnitude >= 0x7F80_0000 {                 // inf or NaN
        return magnitude > 0x7F80_0000 ? sign | 0x7E00 : sign | 0x7C00
    }
    if magnitude >= 0x477F_F000 { return sign | 0x7C00 }   // ≥ 65520 rounds to inf
    if magnitude >= 0x3880_0000 {                 // ≥ 2^-14: a normal half
        let v = magnitude &- 0x3800_0000
        return sign | UInt16(truncatingIfNeeded: (v &+ 0x0FFF &+ ((v >> 13) & 1)) >> 13)
    }
    // subnormal half (or zero): round |x| · 2^24 to an integer; adding 2^23 makes the FPU round to nearest even
    let scaled = Float(bitPattern: magnitude) * 16_777_216
    let rounded = (scaled + 8_388_608) - 8_388_608
    return sign | UInt16(rounded)
}

/// Bulk conversions over raw (possibly unaligned) little-endian storage.
public enum Convert {
    public static func bf16ToFloat(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            dst[i] = Linalg.bf16ToFloat(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
    }

    public static func halfToFloat(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            dst[i] = Linalg.halfToFloat(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
        }
    }

    public static func f32ToFloat(_ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: 4 * count)
    }

    public static func floatToBF16(_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, count: Int) {
        for i in 0..<count {
            dst.storeBytes(of: Linalg.floatToBF16(src[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
        }
    }

    public static func floatToHalf(_ src: UnsafePointer<Float>, _ dst: UnsafeMutableRawPointer, count: Int) {
        for i in 0..<count {
            dst.storeBytes(of: Linalg.floatToHalf(src[i]).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
        }
    }
}
