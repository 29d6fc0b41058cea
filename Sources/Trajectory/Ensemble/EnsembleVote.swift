import Foundation

/// How an ensemble turns its members' predictions of one example into one prediction.
public enum EnsembleVote: String, Sendable, CaseIterable, Codable {
    /// One vote per checkpoint (spec §9).
    case majority
    /// Each checkpoint's vote weighs exp(mean token log-prob of its own prediction): its geometric-mean token
    /// probability, so a checkpoint sure of its answer counts more than one that hesitated.
    case confidence

    /// The `weights` label of its stored ensemble models. Majority ensembles keep "vote", what they were always
    /// stored as, so stores made before confidence votes read unchanged; both kinds coexist in a store.
    public var weightsLabel: String { self == .majority ? "vote" : "confidence-vote" }

    public init?(weightsLabel: String) {
        guard let vote = Self.allCases.first(where: { $0.weightsLabel == weightsLabel }) else { return nil }
        self = vote
    }
}

/// Confidence-weighted vote by exact string equality; ties (equal summed weight) go to the most recent checkpoint.
public enum ConfidenceVote {
    /// `predictions` oldest first; `weights[k]` is member k's vote. Nil for an empty window.
    public static func vote(_ predictions: [String], weights: [Double]) -> VoteOutcome? {
        guard !predictions.isEmpty, predictions.count == weights.count else { return nil }
        var total: [String: Double] = [:], counts: [String: Int] = [:]
        for (p, w) in zip(predictions, weights) {   // summed oldest first, so the same window always sums alike
            total[p, default: 0] += w
            counts[p, default: 0] += 1
        }
        let top = total.values.max() ?? 0
        let tied = total.values.filter { $0 == top }.count
        for k in predictions.indices.reversed() where total[predictions[k]] == top {
            return VoteOutcome(winner: predictions[k], votes: counts[predictions[k]] ?? 0, decidedByTieBreak: tied > 1,
                               member: k)
        }
        return nil
    }

    /// A member's weight: exp(mean token log-prob) of its prediction, 1 for an empty generation (log-prob 0).
    public static func weight(meanLogprob: Double?) -> Double { exp(meanLogprob ?? 0) }
}
