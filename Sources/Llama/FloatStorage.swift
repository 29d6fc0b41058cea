/// An owned fp32 buffer (weights, KV cache, scratch): allocated once, given back on deinit, accessed through raw
/// pointers in the hot loops.
///
/// Buffers of 2 MB or more are 2 MB aligned and asked for transparent huge pages (`MADV_HUGEPAGE`; a no-op where
/// THP is off): a 512-token prefill of the 150m shape spent 4% of its time faulting in the KV cache 4 KB at a time,
/// and attention reads the cache with fewer TLB misses. Such buffers are kept for reuse when freed
/// (`HugeRegionPool`): the kernel zeroes every fresh page, and repeated generations (`kasane generate --runs`) or an
/// evaluation's per-dataset prefix caches ask for similar sizes again.
final class FloatStorage: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    private let regionBytes: Int  // 0 for a small buffer

    init(count: Int, zeroed: Bool = false) {
        self.count = count
        (pointer, regionBytes) = Self.allocate(count)
        if zeroed { pointer.initialize(repeating: 0, count: max(count, 1)) }
    }

    init(copying values: [Float]) {
        count = values.count
        (pointer, regionBytes) = Self.allocate(count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: count) }
        }
    }

    deinit {
        if regionBytes == 0 {
            pointer.deallocate()
        } else {
            HugeRegionPool.shared.give(UnsafeMutableRawPointer(pointer), bytes: regionBytes)
        }
    }

    var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    private static func allocate(_ count: Int) -> (UnsafeMutablePointer<Float>, regionBytes: Int) {
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        guard bytes >= HugeRegionPool.hugePage else { return (.allocate(capacity: max(count, 1)), 0) }
        let (raw, regionBytes) = HugeRegionPool.shared.take(bytes: bytes)
        return (raw.bindMemory(to: Float.self, capacity: regionBytes / MemoryLayout<Float>.stride), regionBytes)
    }
}
