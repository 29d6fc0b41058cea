import Testing
@testable import Linalg

// Expected bit patterns are hand-derived from IEEE 754 (binary16 / bfloat16) and cross-checked against Swift's own
// Float16, an independent implementation.

@Test func bf16ReadsKnownPatterns() {
    #expect(bf16ToFloat(0x3F80) == 1.0)
    #expect(bf16ToFloat(0xC000) == -2.0)
    #expect(bf16ToFloat(0x3EAB).bitPattern == 0x3EAB_0000)
    #expect(bf16ToFloat(0x7F80) == .infinity)
    #expect(bf16ToFloat(0xFF80) == -.infinity)
    #expect(bf16ToFloat(0x8000).bitPattern == 0x8000_0000)
    #expect(bf16ToFloat(0x7FC0).isNaN)
    #expect(bf16ToFloat(0x0001).bitPattern == 0x0001_0000)  // subnormal
}

@Test func bf16WritesRoundToNearestEven() {
    #expect(floatToBF16(1.0) == 0x3F80)
    #expect(floatToBF16(Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie, lower is even: down
    #expect(floatToBF16(Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie, lower is odd: up
    #expect(floatToBF16(Float(bitPattern: 0x3F80_8001)) == 0x3F81)  // above tie: up
    #expect(floatToBF16(Float(bitPattern: 0x3F80_7FFF)) == 0x3F80)  // below tie: down
    #expect(floatToBF16(Float(bitPattern: 0x7F7F_FFFF)) == 0x7F80)  // max float rounds to inf
    #expect(floatToBF16(Float(bitPattern: 0xFF7F_FFFF)) == 0xFF80)
    #expect(floatToBF16(-0.0) == 0x8000)
    #expect(floatToBF16(.infinity) == 0x7F80)
    #expect(floatToBF16(.nan) == 0x7FC0)
    #expect(floatToBF16(Float(bitPattern: 0x7F80_0001)) == 0x7FC0)  // signalling NaN must not become inf
    // torch's rule (c10::BFloat16 round_to_nearest_even): every NaN, negative or with a payload, is 0x7FC0.
    #expect(floatToBF16(Float(bitPattern: 0xFFC0_0000)) == 0x7FC0)
    #expect(floatToBF16(Float(bitPattern: 0x7FC0_0001)) == 0x7FC0)
    #expect(roundedToBF16(Float(bitPattern: 0xFFC0_0000)).bitPattern == 0x7FC0_0000)
    #expect(floatToBF16(Float(bitPattern: 0x0000_8000)) == 0x0000)  // subnormal tie to even
    #expect(floatToBF16(Float(bitPattern: 0x0001_8000)) == 0x0002)
}

@Test func bf16RoundTripsEveryPattern() {
    for bits in 0...UInt16.max {
        let f = bf16ToFloat(bits)
        if f.isNaN { continue }
        #expect(floatToBF16(f) == bits)
    }
}

@Test func halfReadsKnownPatterns() {
    #expect(halfToFloat(0x3C00) == 1.0)
    #expect(halfToFloat(0xC000) == -2.0)
    #expect(halfToFloat(0x7BFF) == 65504)
    #expect(halfToFloat(0x0400) == 0.00006103515625)   // 2^-14, smallest normal
    #expect(halfToFloat(0x0001) == 5.960464477539063e-08)  // 2^-24, smallest subnormal
    #expect(halfToFloat(0x03FF) == 0.00006097555160522461)  // largest subnormal
    #expect(halfToFloat(0x3555).bitPattern == 0x3EAA_A000)
    #expect(halfToFloat(0x7C00) == .infinity)
    #expect(halfToFloat(0xFC00) == -.infinity)
    #expect(halfToFloat(0x8000).bitPattern == 0x8000_0000)
    #expect(halfToFloat(0x7E00).isNaN)
}

@Test func halfWritesRoundToNearestEven() {
    #expect(floatToHalf(1.0) == 0x3C00)
    #expect(floatToHalf(65504) == 0x7BFF)
    #expect(floatToHalf(Float(bitPattern: 0x477F_EFFF)) == 0x7BFF)  // just below 65520: stays finite
    #expect(floatToHalf(65520) == 0x7C00)                           // tie at the top rounds to inf
    #expect(floatToHalf(-70000) == 0xFC00)
    #expect(floatToHalf(Float(bitPattern: 0x3380_0000)) == 0x0001)  // 2^-24
    #expect(floatToHalf(Float(bitPattern: 0x3300_0000)) == 0x0000)  // 2^-25: tie, to even (0)
    #expect(floatToHalf(Float(bitPattern: 0x3300_0001)) == 0x0001)  // just above the tie
    #expect(floatToHalf(Float(bitPattern: 0x33C0_0000)) == 0x0002)  // 1.5 · 2^-24: tie, to even (2)
    #expect(floatToHalf(Float(bitPattern: 0x387F_F000)) == 0x0400)  // rounds up into the normals
    #expect(floatToHalf(Float(bitPattern: 0x3F80_1000)) == 0x3C00)  // 1 + 2^-11: tie, to even
    #expect(floatToHalf(Float(bitPattern: 0x3F80_3000)) == 0x3C02)  // 1 + 3·2^-11: tie, to even (up)
    #expect(floatToHalf(1e-10) == 0x0000)
    #expect(floatToHalf(-0.0) == 0x8000)
    #expect(floatToHalf(.infinity) == 0x7C00)
    #expect(floatToHalf(.nan) == 0x7E00)
}

@Test func halfRoundTripsEveryPattern() {
    for bits in 0...UInt16.max {
        let f = halfToFloat(bits)
        if f.isNaN { continue }
        #expect(floatToHalf(f) == bits)
        #expect(f == Float(Float16(bitPattern: bits)))
    }
}

@Test func halfWriteAgreesWithSwiftFloat16() {
    var rng = SplitMix64(seed: 7)
    var mismatches = 0
    for _ in 0..<300_000 {
        // Random bit patterns over the whole half range (exponents around 2^-30 ... 2^17)
        let bits = UInt32(truncatingIfNeeded: rng.next())
        let exponent = UInt32(97 + rng.next() % 48) << 23
        let f = Float(bitPattern: (bits & 0x807F_FFFF) | exponent)
        if floatToHalf(f) != Float16(f).bitPattern { mismatches += 1 }
    }
    #expect(mismatches == 0)
}

@Test func bulkConversionsHandleUnalignedStorage() {
    let values: [Float] = [1, -2, 0.5, 65504, 3.14159, -0.0, 1e-6]
    let raw = UnsafeMutableRawPointer.allocate(byteCount: 2 * values.count + 1, alignment: 8)
    defer { raw.deallocate() }
    var back = [Float](repeating: 0, count: values.count)
    values.withUnsafeBufferPointer { Convert.floatToHalf($0.baseAddress!, raw + 1, count: values.count) }
    back.withUnsafeMutableBufferPointer { Convert.halfToFloat(UnsafeRawPointer(raw + 1), $0.baseAddress!, count: values.count) }
    #expect(back == values.map { halfToFloat(floatToHalf($0)) })
    values.withUnsafeBufferPointer { Convert.floatToBF16($0.baseAddress!, raw + 1, count: values.count) }
    back.withUnsafeMutableBufferPointer { Convert.bf16ToFloat(UnsafeRawPointer(raw + 1), $0.baseAddress!, count: values.count) }
    #expect(back == values.map { bf16ToFloat(floatToBF16($0)) })
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 24) * 2 - 1 }
}
