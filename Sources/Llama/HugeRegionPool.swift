#if canImport(Glibc)
import Glibc
#endif
import Foundation

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
