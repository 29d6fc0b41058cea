/// The outcome of one example's vote over the predictions of a window's checkpoints.
public struct VoteOutcome: Sendable, Equatable {
    public var winner: String
    public var votes: Int
    /// True when several answers shared the top count and the most recent checkpoint decided.
    public var decidedByTieBreak: Bool
    /// Offset (in the window, oldest = 0) of the newest member that predicted the winner.
    public var member: Int
}

/// Majority vote by exact string equality (spec §9); ties go to the most recent checkpoint in the window.
public enum MajorityVote {
    /// `predictions` are ordered oldest first. Nil for an empty window.
    public static func vote(_ predictions: [String]) -> VoteOutcome? {
        guard !predictions.isEmpty else { return nil }
        var counts: [String: Int] = [:]
        for p in predictions { counts[p, default: 0] += 1 }
        let top = counts.values.max() ?? 0
        let tied = counts.values.filter { $0 == top }.count
        // Scan from the newest checkpoint to the oldest: the first answer with the top count wins.
        for k in predictions.indices.reversed() where counts[predictions[k]] == top {
            return VoteOutcome(winner: predictions[k], votes: top, decidedByTieBreak: tied > 1, member: k)
        }
        return nil
    }
}
