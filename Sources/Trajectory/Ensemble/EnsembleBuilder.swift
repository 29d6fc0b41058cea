/// One dataset of one ensembled position: the voted predictions and their scores.
public struct EnsembleEntry: Sendable {
    public var step: Int
    /// Steps of the window's member checkpoints, oldest first.
    public var memberSteps: [Int]
    public var dataset: String
    public var category: String
    public var mainMetric: String
    public var predictions: [String]
    /// Per example, the window position (index into the raw table) of the newest member that predicted the winner.
    public var winners: [Int]
    /// Per-example and aggregate metric values as the scorer returned them (the store's scale).
    public var perExample: [[String: Double]]
    public var metrics: [String: Double]
    public var main: Double
    /// Examples whose vote was decided by the tie-break rather than a strict plurality.
    public var tieBroken: Int
}

public struct EnsembleResult: Sendable {
    public var window: CheckpointWindow
    public var vote: EnsembleVote = .majority
    /// The ensembled trajectory over the positions where the window is defined.
    public var table: TrajectoryTable
    /// Positions (indices into the raw table) of `table`'s rows.
    public var positions: [Int]
    public var entries: [EnsembleEntry]

    /// Per dataset, the fraction of votes decided by the tie-break over all positions.
    public var tieBreakFraction: [String: Double] {
        var tied: [String: Int] = [:], total: [String: Int] = [:]
        for e in entries {
            tied[e.dataset, default: 0] += e.tieBroken
            total[e.dataset, default: 0] += e.predictions.count
        }
        return total.reduce(into: [:]) { out, kv in
            out[kv.key] = kv.value > 0 ? Double(tied[kv.key] ?? 0) / Double(kv.value) : 0
        }
    }
}

/// Builds the ensembled trajectory from the stored predictions of the raw checkpoints: no forward pass.
public enum EnsembleBuilder {
    /// `raw` holds every raw checkpoint (all positions); `only` restricts to some positions (default: all defined).
    /// A confidence vote needs every member's stored prediction log-prob.
    public static func build(raw: TrajectoryTable, window: CheckpointWindow, scorer: some DatasetRescorer,
                             only: [Int]? = nil, vote: EnsembleVote = .majority) throws -> EnsembleResult {
        try raw.validate()
        guard window.size >= 1 else {
            throw TrajectoryError.invalidOption(option: "--window", value: String(window.size), expected: "n ≥ 1")
        }
        let defined = window.definedPositions(count: raw.steps.count)
        let positions = only.map { wanted in defined.filter { wanted.contains($0) } } ?? defined
        var entries: [EnsembleEntry] = []
        var datasets = raw.datasets.map { d in
            var copy = d
            copy.scores = []
            copy.examples = d.examples.map {
                ExampleSeries(index: $0.index, gold: $0.gold, predictions: [], scores: d.hasExampleScores ? [] : nil,
                              input: $0.input)
            }
            return copy
        }
        for t in positions {
            guard let members = window.members(at: t, count: raw.steps.count) else { continue }
            for (k, series) in raw.datasets.enumerated() {
                var voted: [String] = []
                var winners: [Int] = []
                var tieBroken = 0
                voted.reserveCapacity(series.examples.count)
                for example in series.examples {
                    let predictions = Array(example.predictions[members])
                    let decided: VoteOutcome?
                    switch vote {
                    case .majority: decided = MajorityVote.vote(predictions)
                    case .confidence:
                        decided = ConfidenceVote.vote(predictions, weights: try members.map { position in
                            try confidence(example, position: position, dataset: series.dataset, step: raw.steps[position])
                        })
                    }
                    guard let outcome = decided else { continue }
                    voted.append(outcome.winner)
                    winners.append(members.lowerBound + outcome.member)
                    if outcome.decidedByTieBreak { tieBroken += 1 }
                }
                let scored = try scorer.rescore(series, predictions: voted)
                guard scored.perExample.count == voted.count else {
                    throw TrajectoryError.inconsistentTable(
                        dataset: series.dataset,
                        reason: "scorer returned \(scored.perExample.count) rows for \(voted.count) predictions")
                }
                entries.append(EnsembleEntry(step: raw.steps[t], memberSteps: members.map { raw.steps[$0] },
                                             dataset: series.dataset, category: series.category,
                                             mainMetric: series.mainMetric, predictions: voted, winners: winners,
                                             perExample: scored.perExample, metrics: scored.metrics,
                                             main: scored.main, tieBroken: tieBroken))
                datasets[k].scores.append(scored.main * series.scale)
                for i in voted.indices {
                    datasets[k].examples[i].predictions.append(voted[i])
                    if datasets[k].examples[i].scores != nil {
                        guard let value = scored.perExample[i][series.mainMetric] else {
                            throw TrajectoryError.inconsistentTable(
                                dataset: series.dataset,
                                reason: "no per-example '\(series.mainMetric)' for example \(series.examples[i].index)")
                        }
                        datasets[k].examples[i].scores?.append(value * series.scale)
                    }
                }
            }
        }
        let table = TrajectoryTable(steps: positions.map { raw.steps[$0] }, datasets: datasets)
        return EnsembleResult(window: window, vote: vote, table: table, positions: positions, entries: entries)
    }

    private static func confidence(_ example: ExampleSeries, position: Int, dataset: String, step: Int) throws -> Double {
        guard let logprobs = example.logprobs?[position] else {
            throw TrajectoryError.inconsistentTable(
                dataset: dataset, reason: "example \(example.index) at step \(step) has no stored log-probs (evaluated"
                    + " with --no-logprobs or before they existed): re-evaluate that checkpoint or use --vote majority")
        }
        return ConfidenceVote.weight(meanLogprob: logprobs.meanPredictionLogprob)
    }

    /// Per dataset, the fraction of votes at `positions` decided by the tie-break (no scoring needed).
    public static func tieBreakFraction(raw: TrajectoryTable, window: CheckpointWindow,
                                        positions: [Int]) throws -> [String: Double] {
        try raw.validate()
        var out: [String: Double] = [:]
        for series in raw.datasets {
            var tied = 0, total = 0
            for t in positions {
                guard let members = window.members(at: t, count: raw.steps.count) else { continue }
                for example in series.examples {
                    if MajorityVote.vote(Array(example.predictions[members]))?.decidedByTieBreak == true { tied += 1 }
                    total += 1
                }
            }
            out[series.dataset] = total > 0 ? Double(tied) / Double(total) : 0
        }
        return out
    }
}
