/// What one method of a sweep cost, summed over the positions it stands for, from what the store recorded.
public struct MethodCost: Sendable, Codable, Equatable {
    public var method: MethodSummary.Method
    /// Window size n (1 for raw).
    public var window: Int
    /// Ensembles: their vote.
    public var vote: EnsembleVote?
    /// Positions (models or ensemble entries) stored.
    public var positions: Int
    /// Forward passes its results rest on: one prefill per (model, example) plus one per generated token. An
    /// ensemble makes none itself; `memberForwardPasses` counts those of the raw checkpoints it votes over.
    public var forwardPasses: Int
    public var memberForwardPasses: Int
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
