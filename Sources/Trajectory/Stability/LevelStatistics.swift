import Foundation
import Linalg

/// Bootstrap intervals and paired tests for a category or AVG (what the report's main table shows beside each value).
public struct LevelStatistics: Sendable, Codable, Equatable {
    public var meanScoreCI: ConfidenceInterval
    public var mtvCI: ConfidenceInterval
    /// Per analysed position: the interval of the level's score S(t), for the plots' bands.
    public var band: [ConfidenceInterval]
    /// Integrated trajectories only: paired bootstrap p-values of the mean-score and MTV differences against raw,
    /// and McNemar on correctness pooled over the level's datasets, examples and positions.
    public var meanScoreP: Double?
    public var mtvP: Double?
    public var mcNemarP: Double?
    /// How many of the level's datasets were resampled (the others have no per-example scores on the category scale
    /// and keep their observed series in every resample).
    public var resampledDatasets: Int
    public var fixedDatasets: Int
}

/// Category and AVG bootstrap over examples: in each resample, every dataset's examples are drawn with replacement
/// (stratified by dataset, seeded per dataset name so raw and integrated trajectories are drawn alike), the
/// dataset series is the mean over the drawn examples, and S_c(t), S_AVG(t) follow as in `StabilityAnalysis`.
enum LevelBootstrap {
    struct Levels {
        /// Category name → member dataset positions in the table; AVG's categories.
        var categories: [(name: String, members: [Int])]
        var averaged: [String]
    }

    static func levels(_ table: TrajectoryTable, options: StabilityOptions) -> Levels {
        var order: [String] = []
        for d in table.datasets where !order.contains(d.category) { order.append(d.category) }
        let categories = order.map { c in (c, table.datasets.indices.filter { table.datasets[$0].category == c }) }
        return Levels(categories: categories, averaged: order.filter { options.averageCategories.contains($0) })
    }

    /// Whether a dataset's score is the mean of its examples' scores (so resampling examples resamples the score).
    static func resamplable(_ d: DatasetSeries) -> Bool { d.hasExampleScores && d.scale == 1 }

    /// Per level (category names and "AVG"): intervals, bands and, against `raw` (same datasets, examples aligned by
    /// index), paired p-values. nil without resamples.
    static func compute(_ table: TrajectoryTable, against raw: TrajectoryTable?,
                        options: StabilityOptions) -> [String: LevelStatistics]? {
        let count = options.bootstrapResamples
        guard count > 0, table.steps.count >= 2 else { return nil }
        let levels = levels(table, options: options)
        // Raw scores aligned to the table's examples, when every resampled dataset can be paired.
        let paired: [[[Double]]?]? = raw.flatMap { raw in
            let aligned = table.datasets.map { d -> [[Double]]? in
                guard resamplable(d), let r = raw.datasets.first(where: { $0.dataset == d.dataset }),
                      r.hasExampleScores else { return nil }
                let byIndex = Dictionary(r.examples.map { ($0.index, $0.scores ?? []) }, uniquingKeysWith: { a, _ in a })
                let rows = d.examples.compactMap { byIndex[$0.index] }
                return rows.count == d.examples.count ? rows : nil
            }
            let ok = zip(table.datasets, aligned).allSatisfy { !resamplable($0) || $1 != nil }
            return ok && raw.steps.count == table.steps.count ? aligned : nil
        }
        let rawFixed: [[Double]]? = raw.flatMap { raw in
            table.datasets.map { d in raw.datasets.first { $0.dataset == d.dataset }?.scores ?? d.scores }
        }
        let positions = table.steps.count
        let scores = table.datasets.map { d in resamplable(d) ? d.examples.map { $0.scores ?? [] } : [] }

        // Per level, per resample: the series of the table (and of raw, for the paired test).
        var samples: [String: [[Double]]] = [:], rawSamples: [String: [[Double]]] = [:]
        var rngs = table.datasets.map { SeededRandom(seed: options.bootstrapSeed, stream: "level-bootstrap|" + $0.dataset) }
        for _ in 0..<count {
            var series: [[Double]] = [], rawSeries: [[Double]] = []
            for (k, d) in table.datasets.enumerated() {
                guard resamplable(d), !scores[k].isEmpty else {
                    series.append(d.scores)
                    rawSeries.append(rawFixed?[k] ?? d.scores)
                    continue
                }
                let n = scores[k].count
                let draw = (0..<n).map { _ in rngs[k].below(n) }
                series.append(meanSeries(scores[k], draw, positions))
                if let rows = paired?[k] { rawSeries.append(meanSeries(rows, draw, positions)) }
            }
            for (name, s) in levelSeries(series, levels, positions) { samples[name, default: []].append(s) }
            if paired != nil {
                for (name, s) in levelSeries(rawSeries, levels, positions) { rawSamples[name, default: []].append(s) }
            }
        }

        let observed = levelSeries(table.datasets.map(\.scores), levels, positions)
        let observedRaw = rawFixed.map { levelSeries($0, levels, positions) }
        var out: [String: LevelStatistics] = [:]
        for (name, members) in memberDatasets(levels) {
            guard let drawn = samples[name], let seen = observed[name] else { continue }
            let means = drawn.map { SeriesMetrics.mean($0) ?? .nan }
            let mtvs = drawn.compactMap { SeriesMetrics.meanTotalVariation($0) }
            let band = (0..<positions).map { t in ExampleStatistics.interval(drawn.map { $0[t] }) }
            let resampled = members.filter { resamplable(table.datasets[$0]) }.count
            var stats = LevelStatistics(meanScoreCI: ExampleStatistics.interval(means),
                                        mtvCI: ExampleStatistics.interval(mtvs), band: band,
                                        resampledDatasets: resampled, fixedDatasets: members.count - resampled)
            // A level with nothing resampled has no sampling distribution to test against.
            if resampled > 0, let rawDrawn = rawSamples[name], let rawSeen = observedRaw?[name] {
                let meanDiffs = zip(drawn, rawDrawn).map { (SeriesMetrics.mean($0) ?? 0) - (SeriesMetrics.mean($1) ?? 0) }
                let mtvDiffs = zip(drawn, rawDrawn).map {
                    (SeriesMetrics.meanTotalVariation($0) ?? 0) - (SeriesMetrics.meanTotalVariation($1) ?? 0)
                }
                stats.meanScoreP = ExampleStatistics.twoSided(
                    meanDiffs, observed: (SeriesMetrics.mean(seen) ?? 0) - (SeriesMetrics.mean(rawSeen) ?? 0))
                stats.mtvP = ExampleStatistics.twoSided(
                    mtvDiffs, observed: (SeriesMetrics.meanTotalVariation(seen) ?? 0)
                        - (SeriesMetrics.meanTotalVariation(rawSeen) ?? 0))
                stats.mcNemarP = pooledMcNemar(members.map { table.datasets[$0] }, raw: members.map { paired?[$0] },
                                               threshold: options.correctnessThreshold)
            }
            out[name] = stats
        }
        return out
    }

    static func meanSeries(_ scores: [[Double]], _ draw: [Int], _ positions: Int) -> [Double] {
        var s = [Double](repeating: 0, count: positions)
        for e in draw { for t in 0..<positions { s[t] += scores[e][t] } }
        return s.map { $0 / Double(max(1, draw.count)) }
    }

    /// S_c(t) per category and S_AVG(t), from dataset series in table order.
    static func levelSeries(_ datasets: [[Double]], _ levels: Levels, _ positions: Int) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for (name, members) in levels.categories where !members.isEmpty {
            out[name] = (0..<positions).map { t in members.map { datasets[$0][t] }.reduce(0, +) / Double(members.count) }
        }
        let present = levels.averaged.compactMap { out[$0] }
        if !present.isEmpty {
            out["AVG"] = (0..<positions).map { t in present.map { $0[t] }.reduce(0, +) / Double(present.count) }
        }
        return out
    }

    static func memberDatasets(_ levels: Levels) -> [(String, [Int])] {
        var out = levels.categories.map { ($0.name, $0.members) }
        let avg = levels.categories.filter { levels.averaged.contains($0.name) }.flatMap(\.members)
        if !avg.isEmpty { out.append(("AVG", avg)) }
        return out
    }

    /// McNemar's exact test with the discordant pairs of every resampled member dataset pooled.
    static func pooledMcNemar(_ datasets: [DatasetSeries], raw: [[[Double]]?], threshold: Double) -> Double? {
        var rawCorrect: [[Bool]] = [], integrated: [[Bool]] = []
        for (d, r) in zip(datasets, raw) {
            guard resamplable(d), let r else { continue }
            rawCorrect += r.map { $0.map { $0 >= threshold } }
            integrated += d.examples.map { ($0.scores ?? []).map { $0 >= threshold } }
        }
        return ExampleStatistics.mcNemar(raw: rawCorrect, integrated: integrated)?.p
    }
}
