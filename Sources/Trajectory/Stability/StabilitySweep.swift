/// One trajectory's stability at one window size: raw checkpoints, averaged models or ensembles.
public struct MethodSummary: Sendable, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable { case raw, average, ensemble }
    public var method: Method
    /// Window size n (1 for raw).
    public var window: Int
    public var alignment: WindowAlignment
    /// The raw baseline this row belongs to: raw rows are computed once per window size, on that window's positions.
    public var summary: StabilitySummary
    /// Ensemble only: per dataset, the fraction of votes decided by the tie-break.
    public var tieBreakFraction: [String: Double]?
    /// Per dataset, with `StabilityOptions.bootstrapResamples` > 0: bootstrap intervals and (integrated methods)
    /// paired tests against this window's raw rows.
    public var statistics: [String: DatasetStatistics]?
    /// The same for categories and "AVG" (`LevelBootstrap`), with per-position bands for the plots.
    public var levelStatistics: [String: LevelStatistics]?
    /// Ensembles: the vote that made them (majority and confidence ensembles are separate rows).
    public var vote: EnsembleVote?

    /// "raw checkpoints", "averaged, n=5", "ensembled, n=5 (majority)".
    public var label: String {
        switch method {
        case .raw: return "raw checkpoints"
        case .average: return "averaged, n=\(window)"
        case .ensemble: return "ensembled, n=\(window) (\((vote ?? .majority).rawValue))"
        }
    }

    /// Short name for the terminal table and the vote column: raw, average, ensemble, ensemble-confidence.
    public var shortName: String { Self.shortName(method, vote: vote) }

    static func shortName(_ method: Method, vote: EnsembleVote?) -> String {
        method == .ensemble && vote == .confidence ? "ensemble-confidence" : method.rawValue
    }

    /// Whether any row carries the mean gold log-prob (the store held log-probs).
    var hasGoldLogprobs: Bool { summary.allRows.contains { $0.metrics.goldLogprobMean != nil } }
}

/// Compares raw, averaged and ensembled trajectories over the same positions (spec §10): for each window size n,
/// the positions are the analysis span's positions at which a window of n fits; the raw baseline is restricted to the
/// same positions, so m − 1 is equal across methods.
public enum StabilitySweep {
    /// `averaged` and `ensembles` hold trajectories by window size (from the store); an ensemble missing there is
    /// voted on the fly when a scorer is given.
    public static func run(raw: TrajectoryTable, averaged: [Int: TrajectoryTable] = [:],
                           ensembles: [Int: TrajectoryTable] = [:],
                           confidenceEnsembles: [Int: TrajectoryTable] = [:], windows: [Int],
                           alignment: WindowAlignment = .trailing, span: AnalysisSpan = .finalFifth,
                           options: StabilityOptions = StabilityOptions(),
                           scorer: (any DatasetRescorer)? = nil) throws -> [MethodSummary] {
        try raw.validate()
        guard let analysed = span.positions(steps: raw.steps) else {
            throw TrajectoryError.tooFewCheckpoints(needed: 2, found: raw.steps.count, context: "stability analysis")
        }
        var out: [MethodSummary] = []
        for n in windows {
            guard n >= 1 else {
                throw TrajectoryError.invalidOption(option: "--windows", value: String(n), expected: "sizes ≥ 1")
            }
            let window = CheckpointWindow(size: n, alignment: alignment, partial: .drop)
            let positions = window.definedPositions(count: raw.steps.count).filter { analysed.contains($0) }
            guard positions.count >= 2 else { continue }  // the window does not fit the analysis span
            let rawTable = raw.restricted(to: positions)
            var baseline = try StabilityAnalysis.summarize(rawTable, options: options)
            SignalToNoise.annotate(&baseline, whole: raw, analysed: rawTable, options: options)
            out.append(MethodSummary(method: .raw, window: n, alignment: alignment, summary: baseline,
                                     statistics: statistics(rawTable, against: nil, options: options),
                                     levelStatistics: LevelBootstrap.compute(rawTable, against: nil, options: options)))
            guard n > 1 else { continue }
            let stepsWanted = positions.map { raw.steps[$0] }
            // A stored integrated trajectory on this window's positions, summarized against raw.
            func integrated(_ stored: TrajectoryTable?, _ method: MethodSummary.Method, vote: EnsembleVote? = nil,
                            tieBreak: () throws -> [String: Double]? = { nil }) throws -> MethodSummary? {
                guard let stored, let rows = rows(of: stepsWanted, in: stored) else { return nil }
                let table = stored.restricted(to: rows)
                var summary = try StabilityAnalysis.summarize(table, options: options)
                SignalToNoise.annotate(&summary, whole: stored, analysed: table, options: options)
                return MethodSummary(method: method, window: n, alignment: alignment, summary: summary,
                                     tieBreakFraction: try tieBreak(),
                                     statistics: statistics(table, against: rawTable, options: options),
                                     levelStatistics: LevelBootstrap.compute(table, against: rawTable, options: options),
                                     vote: vote)
            }
            if let m = try integrated(averaged[n], .average) { out.append(m) }
            if let m = try integrated(ensembles[n], .ensemble, vote: .majority, tieBreak: {
                try EnsembleBuilder.tieBreakFraction(raw: raw, window: window, positions: positions)
            }) {
                out.append(m)
            } else if let scorer {
                let ensemble = try EnsembleBuilder.build(raw: raw, window: window, scorer: scorer, only: positions)
                let summary = try StabilityAnalysis.summarize(ensemble.table, options: options)
                out.append(MethodSummary(method: .ensemble, window: n, alignment: alignment, summary: summary,
                                         tieBreakFraction: ensemble.tieBreakFraction,
                                         statistics: statistics(ensemble.table, against: rawTable, options: options),
                                         levelStatistics: LevelBootstrap.compute(ensemble.table, against: rawTable,
                                                                                 options: options),
                                         vote: .majority))
            }
            // Confidence-voted ensembles of the same positions, beside the majority ones.
            if let m = try integrated(confidenceEnsembles[n], .ensemble, vote: .confidence) { out.append(m) }
        }
        return out
    }

    /// Per dataset bootstrap intervals and, against `raw`, paired tests; nil without resamples.
    static func statistics(_ table: TrajectoryTable, against raw: TrajectoryTable?,
                           options: StabilityOptions) -> [String: DatasetStatistics]? {
        guard options.bootstrapResamples > 0 else { return nil }
        var out: [String: DatasetStatistics] = [:]
        for series in table.datasets {
            let baseline = raw?.datasets.first { $0.dataset == series.dataset }
            if let s = DatasetStatistics.compute(series, against: baseline, options: options) { out[series.dataset] = s }
        }
        return out
    }

    /// Row indices of the wanted steps in a table, nil unless every step is there.
    static func rows(of steps: [Int], in table: TrajectoryTable) -> [Int]? {
        let rows = steps.compactMap { table.steps.firstIndex(of: $0) }
        return rows.count == steps.count ? rows : nil
    }
}
