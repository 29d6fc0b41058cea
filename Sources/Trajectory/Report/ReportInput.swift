import Foundation

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
    /// Parameter drift between consecutive checkpoints (`kasane drift`), empty when none is stored.
    public var drift: [DriftPair]
    /// What each method cost (`SweepCosts`), empty when the store recorded nothing.
    public var costs: [MethodCost]

    public init(runName: String, settings: [(String, String)], raw: TrajectoryTable, averaged: [Int: TrajectoryTable],
                ensembles: [Int: TrajectoryTable], sweep: [MethodSummary], excluded: [String: String],
                correctnessThreshold: Double = 1.0, drift: [DriftPair] = [], costs: [MethodCost] = []) {
        self.runName = runName
        self.settings = settings
        self.raw = raw
        self.averaged = averaged
        self.ensembles = ensembles
        self.sweep = sweep
        self.excluded = excluded
        self.correctnessThreshold = correctnessThreshold
        self.drift = drift
        self.costs = costs
    }

    /// The run's name as a reader sees it: a run named by its folder's path shows the folder's name only, so no
    /// machine path reaches the page.
    public var displayName: String {
        runName.contains("/") ? (runName as NSString).lastPathComponent : runName
    }

    /// Settings with the run's path replaced by its display name.
    var displaySettings: [(String, String)] {
        settings.map { ($0.0, $0.1.replacingOccurrences(of: runName, with: displayName)) }
    }

    /// Categories of the main table: the paper's nine in its order, then any others in first-seen order.
    var tableCategories: [String] {
        StabilityOptions.paperCategories.filter(categories.contains) + categories.filter {
            !StabilityOptions.paperCategories.contains($0)
        }
    }

    /// The sweep grouped by the positions it compares on: each group's raw rows are shown once.
    var positionGroups: [(steps: [Int], raw: MethodSummary, integrated: [MethodSummary])] {
        var out: [(steps: [Int], raw: MethodSummary, integrated: [MethodSummary])] = []
        for m in sweep {
            if m.method == .raw {
                if !out.contains(where: { $0.steps == m.summary.steps }) { out.append((m.summary.steps, m, [])) }
            } else if let k = out.firstIndex(where: { $0.steps == m.summary.steps }) {
                out[k].integrated.append(m)
            }
        }
        return out
    }

    /// The window whose integrated trajectories the zoomed plots show: the largest one that still covers at least
    /// half of the analysed positions (so the plot is not two points), else the smallest.
    var headlineWindow: Int? {
        let integrated = sweep.filter { $0.method != .raw }
        let span = sweep.filter { $0.method == .raw }.map(\.summary.steps.count).max() ?? 0
        let sizes = Set(integrated.map(\.window)).sorted()
        return sizes.last { n in integrated.contains { $0.window == n && 2 * $0.summary.steps.count >= span } }
            ?? sizes.first
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
