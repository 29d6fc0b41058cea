#if canImport(Glibc)
import Glibc
#endif
import Foundation

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

/// Freed 2 MB-aligned regions kept for the next large buffer, so that its pages are not faulted in and zeroed again.
/// A request takes the smallest kept region that fits it and wastes at most a quarter. When none does, every kept
/// region is freed before a new one is made, so keeping never raises the peak memory; at most `limitBytes` are kept.
final class HugeRegionPool: @unchecked Sendable {
    static let hugePage = 2 << 20
    static let shared = HugeRegionPool(limitBytes: 1 << 30)

    private let lock = NSLock()
    private let limitBytes: Int
    private var kept: [(pointer: UnsafeMutableRawPointer, bytes: Int)] = []
    private var keptBytes = 0

    init(limitBytes: Int) { self.limitBytes = limitBytes }

    /// Bytes kept for reuse now.
    var keptByteCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return keptBytes
    }

    /// A region of at least `bytes`, 2 MB aligned; returns it with its size.
    func take(bytes: Int) -> (UnsafeMutableRawPointer, Int) {
        let rounded = (bytes + Self.hugePage - 1) / Self.hugePage * Self.hugePage
        lock.lock()
        let fits = kept.indices.filter { kept[$0].bytes >= rounded && kept[$0].bytes - rounded <= kept[$0].bytes / 4 }
        if let best = fits.min(by: { kept[$0].bytes < kept[$1].bytes }) {
            let region = kept.remove(at: best)
            keptBytes -= region.bytes
            lock.unlock()
            return (region.pointer, region.bytes)
        }
        let unfit = kept
        kept = []
        keptBytes = 0
        lock.unlock()
        for region in unfit { region.pointer.deallocate() }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: Self.hugePage)
        #if canImport(Glibc)
        _ = madvise(raw, rounded, MADV_HUGEPAGE)
        #endif
        return (raw, rounded)
    }

    func give(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        lock.lock()
        if keptBytes + bytes <= limitBytes {
            kept.append((pointer, bytes))
            keptBytes += bytes
            lock.unlock()
            return
        }
        lock.unlock()
        pointer.deallocate()
    }
}
