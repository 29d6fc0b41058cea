/// What one method of a sweep cost, summed over the positions it stands for, from what the store recorded.
public struct MethodCost: Sendable, Codable, Equatable {
    public var method: MethodSummary.Method
    /// Window size n (1 for raw).
    public var window: Int
    /// Ensembles: their vote.
    public var vote: EnsembleVote?
    /// Positions (models or ensemble entries) stored.
    public var positions: Int
    /// Forward passes its results rest on, one per sequence and step: as the engine counted them (one prefill per
    /// evaluated example plus one per decode step) when `measured`, else estimated from the stored timings (one
    /// prefill per (model, example) plus one per generated token). An ensemble makes none itself;
    /// `memberForwardPasses` counts those of the raw checkpoints it votes over.
    public var forwardPasses: Int
    public var memberForwardPasses: Int
    /// Whether every model behind the counts (an ensemble's: its members) had them measured.
    public var measured: Bool = false
    /// Wall seconds of evaluation (and, for averaged models, of building them); for ensembles, of the vote.
    public var seconds: Double
    /// Largest peak resident memory of the process while one of its models was evaluated; nil when not recorded.
    public var peakBytes: Int?

    public init(method: MethodSummary.Method, window: Int, positions: Int, forwardPasses: Int,
                memberForwardPasses: Int = 0, seconds: Double, peakBytes: Int?, vote: EnsembleVote? = nil) {
        self.vote = vote
        self.method = method
        self.window = window
        self.positions = positions
        self.forwardPasses = forwardPasses
        self.memberForwardPasses = memberForwardPasses
        self.seconds = seconds
        self.peakBytes = peakBytes
    }
}

extension MethodCost {
    /// The counts as the tables show them: estimates marked ≈ (a zero, e.g. an ensemble's own, is exact).
    public var forwardPassesText: String { Self.text(forwardPasses, measured: measured) }
    public var memberForwardPassesText: String { Self.text(memberForwardPasses, measured: measured) }

    private static func text(_ count: Int, measured: Bool) -> String {
        measured || count == 0 ? String(count) : "≈\(count)"
    }
}
