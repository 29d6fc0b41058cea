import Foundation
import Testing
@testable import Linalg

@Test func parallelForVisitsEveryIndexOnce() {
    let n = 10_007
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
    counts.initialize(repeating: 0)
    defer { counts.deallocate() }
    for _ in 0..<20 {
        parallelFor(0..<n) { i in counts[i] += 1 }
    }
    #expect(counts.allSatisfy { $0 == 20 })
    parallelFor(5..<5) { _ in Issue.record("empty range must not call the body") }
}

@Test func parallelForNestedCallsRunSeriallyWithoutDeadlock() {
    let rows = 16, cols = 64
    let cells = UnsafeMutableBufferPointer<Int>.allocate(capacity: rows * cols)
    cells.initialize(repeating: 0)
    defer { cells.deallocate() }
    parallelFor(0..<rows) { r in
        parallelFor(0..<cols) { c in cells[r * cols + c] = r * cols + c }
    }
    #expect(Array(cells) == Array(0..<(rows * cols)))
    #expect(Parallel.threadCount >= 1)
}

/// A pool with more workers than this machine has cores, so several of them wake late and race to join a job.
private let crowdedPool = WorkerPool(threads: 5)

/// Many tiny runs: every index is visited exactly once per run, and no body call lands after its `run` returned
/// (each run's cells are poisoned once it returns and checked untouched just before the next run reuses them).
private func tinyRuns(_ pool: WorkerPool, runs: Int, cells: UnsafeMutableBufferPointer<Int>) -> Bool {
    let poison = -1_000_000
    var ok = true
    cells.initialize(repeating: poison)
    for r in 0..<runs {
        let n = 2 + r % (cells.count - 1)
        ok = ok && cells.allSatisfy { $0 == poison }
        for i in 0..<cells.count { cells[i] = 0 }
        pool.run(0..<n) { i in cells[i] += 1 }
        ok = ok && cells[0..<n].allSatisfy { $0 == 1 } && cells[n...].allSatisfy { $0 == 0 }
        for i in 0..<cells.count { cells[i] = poison }
    }
    return ok
}

@Test func poolStressTinyRunsNestedAndFromTwoThreads() {
    for pool in [WorkerPool.shared, crowdedPool] {
        let a = UnsafeMutableBufferPointer<Int>.allocate(capacity: 9)
        let b = UnsafeMutableBufferPointer<Int>.allocate(capacity: 9)
        defer { a.deallocate(); b.deallocate() }
        #expect(tinyRuns(pool, runs: 20_000, cells: a))

        // Two threads at once: one of them gets the pool, the other runs serially; both stay exact.
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var otherOK = false
        nonisolated(unsafe) let otherCells = b
        let other = Thread { otherOK = tinyRuns(pool, runs: 5_000, cells: otherCells); finished.signal() }
        other.start()
        let mineOK = tinyRuns(pool, runs: 5_000, cells: a)
        finished.wait()
        #expect(mineOK && otherOK)

        // Nested runs inside tiny outer runs, many times over.
        let cells = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * 5)
        defer { cells.deallocate() }
        cells.initialize(repeating: 0)
        for _ in 0..<2_000 {
            pool.run(0..<3) { r in pool.run(0..<5) { c in cells[r * 5 + c] += 1 } }
        }
        #expect(cells.allSatisfy { $0 == 2_000 })
    }
}
