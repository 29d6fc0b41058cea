import Testing
@testable import Llama

/// Freed large buffers are reused when they fit without wasting more than a quarter, and dropped (never kept beside
/// a new allocation) when nothing fits.
@Suite struct HugeRegionPoolTests {
    static let mb = 1 << 20

    @Test func reusesTheSmallestFittingRegionAndDropsAllOnAMiss() {
        let pool = HugeRegionPool(limitBytes: 64 * Self.mb)
        let (a, aBytes) = pool.take(bytes: 5 * Self.mb)
        let (b, bBytes) = pool.take(bytes: 9 * Self.mb)
        #expect(aBytes == 6 * Self.mb && bBytes == 10 * Self.mb)  // whole 2 MB pages
        #expect(Int(bitPattern: a) % HugeRegionPool.hugePage == 0)
        pool.give(a, bytes: aBytes)
        pool.give(b, bytes: bBytes)
        #expect(pool.keptByteCount == 16 * Self.mb)
        let (c, cBytes) = pool.take(bytes: 8 * Self.mb + 1)  // 10 MB fits, 2 MB of waste
        #expect(c == b && cBytes == bBytes && pool.keptByteCount == 6 * Self.mb)
        let (d, dBytes) = pool.take(bytes: 3 * Self.mb)  // 6 MB would waste half: a new region, the 6 MB one freed
        #expect(dBytes == 4 * Self.mb && pool.keptByteCount == 0)
        pool.give(c, bytes: cBytes)
        pool.give(d, bytes: dBytes)
        let (e, _) = pool.take(bytes: 4 * Self.mb)
        #expect(e == d && pool.keptByteCount == 10 * Self.mb)
        pool.give(e, bytes: dBytes)
    }

    @Test func keepsNoMoreThanItsLimit() {
        let pool = HugeRegionPool(limitBytes: 4 * Self.mb)
        let (a, aBytes) = pool.take(bytes: 4 * Self.mb)
        let (b, bBytes) = pool.take(bytes: 4 * Self.mb)
        pool.give(a, bytes: aBytes)
        pool.give(b, bytes: bBytes)  // over the limit: freed
        #expect(pool.keptByteCount == 4 * Self.mb)
        let (c, _) = pool.take(bytes: 4 * Self.mb)
        #expect(c == a && pool.keptByteCount == 0)
        pool.give(c, bytes: aBytes)
    }
}
