/// Everything a report shows: the full trajectories (for score-over-steps plots) and the stability sweep.
public struct ReportInput: Sendable {
    public var runName: String
    /// Analysis settings, shown verbatim (MTV level, similarity, window shape, analysis span, …).
    public var settings: [(String, String)]
    public var raw: TrajectoryTable
    /// Averaged trajectories by window size (all positions evaluated).
    public var averaged: [Int: TrajectoryTable]
    /// Ensembled trajectories by window size (all positions where the window is defined).
    public var ensembles: [Int: TrajectoryTable]
    public var sweep: [MethodSummary]
    /// Datasets left out of the analysis, with the reason.
    public var excluded: [String: String]
    /// τ used for correctness in the heatmap.
    public var correctnessThreshold: Double

    public init(runName: String, settings: [(String, String)], raw: TrajectoryTable, averaged: [Int: TrajectoryTable],
                ensembles: [Int: TrajectoryTable], sweep: [MethodSummary], excluded: [String: String],
                correctnessThreshold: Double = 1.0) {
        self.runName = runName
        self.settings = settings
        self.raw = raw
        self.averaged = averaged
        self.ensembles = ensembles
        self.sweep = sweep
        self.excluded = excluded
        self.correctnessThreshold = correctnessThreshold
    }

    /// Categories in first-seen order.
    var categories: [String] {
        var out: [String] = []
        for d in raw.datasets where !out.contains(d.category) { out.append(d.category) }
        return out
    }

    /// S_c(t) of a table (mean of its datasets' scores), per position.
    static func categorySeries(_ table: TrajectoryTable, _ category: String) -> [Double] {
        let members = table.datasets.filter { $0.category == category }
        guard !members.isEmpty else { return [] }
        return table.steps.indices.map { t in members.map { $0.scores[t] }.reduce(0, +) / Double(members.count) }
    }

    /// S_AVG(t) over the given categories present in the table.
    static func averageSeries(_ table: TrajectoryTable, categories: [String]) -> [Double] {
        let present = categories.filter { c in table.datasets.contains { $0.category == c } }
        guard !present.isEmpty else { return [] }
        let per = present.map { categorySeries(table, $0) }
        return table.steps.indices.map { t in per.map { $0[t] }.reduce(0, +) / Double(per.count) }
    }

    /// The dataset with per-example scores whose raw per-example MTV (window-1 row) is highest.
    var leastStableDataset: String? {
        guard let raw1 = sweep.first(where: { $0.method == .raw && $0.window == 1 })
                ?? sweep.first(where: { $0.method == .raw }) else { return nil }
        return raw1.summary.datasets.filter { $0.metrics.exampleMTV != nil }
            .max { ($0.metrics.exampleMTV ?? 0) < ($1.metrics.exampleMTV ?? 0) }?.name
    }
}
