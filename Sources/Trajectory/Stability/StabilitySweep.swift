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
}

/// Compares raw, averaged and ensembled trajectories over the same positions (spec §10): for each window size n,
/// the positions are the analysis span's positions at which a window of n fits; the raw baseline is restricted to the
/// same positions, so m − 1 is equal across methods.
public enum StabilitySweep {
    /// `averaged` and `ensembles` hold trajectories by window size (from the store); an ensemble missing there is
    /// voted on the fly when a scorer is given.
    public static func run(raw: TrajectoryTable, averaged: [Int: TrajectoryTable] = [:],
                           ensembles: [Int: TrajectoryTable] = [:], windows: [Int],
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
            let baseline = try StabilityAnalysis.summarize(raw.restricted(to: positions), options: options)
            out.append(MethodSummary(method: .raw, window: n, alignment: alignment, summary: baseline))
            guard n > 1 else { continue }
            let stepsWanted = positions.map { raw.steps[$0] }
            if let averagedTable = averaged[n], let rows = rows(of: stepsWanted, in: averagedTable) {
                let summary = try StabilityAnalysis.summarize(averagedTable.restricted(to: rows), options: options)
                out.append(MethodSummary(method: .average, window: n, alignment: alignment, summary: summary))
            }
            if let stored = ensembles[n], let rows = rows(of: stepsWanted, in: stored) {
                let summary = try StabilityAnalysis.summarize(stored.restricted(to: rows), options: options)
                let tieBreak = try EnsembleBuilder.tieBreakFraction(raw: raw, window: window, positions: positions)
                out.append(MethodSummary(method: .ensemble, window: n, alignment: alignment, summary: summary,
                                         tieBreakFraction: tieBreak))
            } else if let scorer {
                let ensemble = try EnsembleBuilder.build(raw: raw, window: window, scorer: scorer, only: positions)
                let summary = try StabilityAnalysis.summarize(ensemble.table, options: options)
                out.append(MethodSummary(method: .ensemble, window: n, alignment: alignment, summary: summary,
                                         tieBreakFraction: ensemble.tieBreakFraction))
            }
        }
        return out
    }

    /// Row indices of the wanted steps in a table, nil unless every step is there.
    static func rows(of steps: [Int], in table: TrajectoryTable) -> [Int]? {
        let rows = steps.compactMap { table.steps.firstIndex(of: $0) }
        return rows.count == steps.count ? rows : nil
    }
}
