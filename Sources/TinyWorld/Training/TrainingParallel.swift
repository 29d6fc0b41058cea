import Foundation

/// Splits `0..<count` into at most `workers` contiguous chunks and runs them concurrently.
/// The body must touch only the rows of its own chunk.
@inline(__always)
func parallelChunks(_ count: Int, workers: Int, _ body: (Range<Int>) -> Void) {
    let chunks = max(1, min(workers, count))
    if chunks == 1 { body(0..<count); return }
    withoutActuallyEscaping(body) { escaping in
        // The chunks are disjoint by construction; the pointers the body captures are safe to share.
        nonisolated(unsafe) let work = escaping
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = count * c / chunks, hi = count * (c + 1) / chunks
            if lo < hi { work(lo..<hi) }
        }
    }
}

/// Runs `body(i)` for every i in 0..<count across the worker threads (one task per index).
@inline(__always)
func parallelTasks(_ count: Int, workers: Int, _ body: (Int) -> Void) {
    if workers <= 1 || count <= 1 { for i in 0..<count { body(i) }; return }
    withoutActuallyEscaping(body) { escaping in
        nonisolated(unsafe) let work = escaping
        DispatchQueue.concurrentPerform(iterations: count) { work($0) }
    }
}

/// A fixed-size, zero-initialised Float buffer owned by its creator and freed explicitly.
struct FloatArena {
    static func allocate(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(count, 1))
        p.initialize(repeating: 0)
        return p
    }
}
