/// Where a window of n neighbouring checkpoints sits relative to the position it stands for (spec §7).
public enum WindowAlignment: String, Sendable, CaseIterable, Codable {
    /// W_t = {t − n + 1, …, t}
    case trailing
    /// W_t = {t − ⌈(n−1)/2⌉, …, t + ⌊(n−1)/2⌋}: for even n the extra member is on the earlier side.
    case centred

    public init?(parsing text: String) {
        switch text.lowercased() {
        case "trailing": self = .trailing
        case "centred", "centered": self = .centred
        default: return nil
        }
    }
}

/// What to do at positions whose window would reach past either end of the trajectory.
public enum PartialWindowPolicy: String, Sendable, Codable {
    /// Skip such positions (and restrict the raw baseline to the same positions).
    case drop
    /// Use the members that exist (weights renormalized over them).
    case truncate
}

/// A window of `size` checkpoints, aligned to the position it represents.
public struct CheckpointWindow: Sendable, Hashable, Codable {
    public var size: Int
    public var alignment: WindowAlignment
    public var partial: PartialWindowPolicy

    public init(size: Int, alignment: WindowAlignment = .trailing, partial: PartialWindowPolicy = .drop) {
        self.size = size
        self.alignment = alignment
        self.partial = partial
    }

    /// Members before and after the position.
    public var offsets: (before: Int, after: Int) {
        switch alignment {
        case .trailing: return (max(0, size - 1), 0)
        case .centred: return ((size) / 2, max(0, (size - 1) / 2))  // ⌈(n−1)/2⌉ = ⌊n/2⌋
        }
    }

    /// Positions (0-based, oldest first) of the members of W_t among `count` ordered checkpoints, or nil when the
    /// window does not fit and the policy is `drop` (or the size is below 1).
    public func members(at t: Int, count: Int) -> Range<Int>? {
        guard size >= 1, t >= 0, t < count else { return nil }
        let (before, after) = offsets
        let lo = t - before, hi = t + after
        if lo >= 0 && hi < count { return lo..<(hi + 1) }
        guard partial == .truncate else { return nil }
        return max(0, lo)..<(min(count - 1, hi) + 1)
    }

    /// The positions among `count` checkpoints at which this window is defined.
    public func definedPositions(count: Int) -> [Int] {
        (0..<max(0, count)).filter { members(at: $0, count: count) != nil }
    }
}
