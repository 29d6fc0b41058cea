import Foundation

/// Scratch buffers of one forward pass, kept between passes so that decoding steps do not allocate (and fault in)
/// fresh pages every time. Buffers only grow.
final class Workspace: @unchecked Sendable {
    enum Slot: Int, CaseIterable { case hidden, normed, qkv, attention, gateUp, scores, selected, logits }
    private var buffers = [FloatStorage?](repeating: nil, count: Slot.allCases.count)

    func buffer(_ slot: Slot, count: Int) -> UnsafeMutablePointer<Float> {
        if let b = buffers[slot.rawValue], b.count >= count { return b.pointer }
        let b = FloatStorage(count: count)
        buffers[slot.rawValue] = b
        return b.pointer
    }
}

/// Workspaces of a model; concurrent forward calls each take their own.
final class WorkspacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [Workspace] = []

    func take() -> Workspace {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? Workspace()
    }

    func give(_ w: Workspace) {
        lock.lock()
        // Keep at most a couple: an idle workspace holds the scratch of the largest pass it ran.
        if free.count < 2 { free.append(w) }
        lock.unlock()
    }
}
