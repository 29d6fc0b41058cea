// TEMPORARY until engine-io's Linalg.parallelFor lands: same signature, replaced at the merge.
import Dispatch

func parallelFor(_ range: Range<Int>, body: (Int) -> Void) {
    if range.count <= 1 { for i in range { body(i) }; return }
    withoutActuallyEscaping(body) { escapable in
        // The body only touches disjoint slices of buffers owned by the caller, who waits for all iterations.
        let sendable = unsafeBitCast(escapable, to: (@Sendable (Int) -> Void).self)
        DispatchQueue.concurrentPerform(iterations: range.count) { sendable(range.lowerBound + $0) }
    }
}
