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
