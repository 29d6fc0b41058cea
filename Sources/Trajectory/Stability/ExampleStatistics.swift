import Foundation
import Linalg

/// A percentile bootstrap interval (2.5 % and 97.5 % of the resampled values).
public struct ConfidenceInterval: Sendable, Codable, Equatable {
    public var low: Double
    public var high: Double
}

/// The statistics a reviewer asks for, over the examples of one dataset (spec: examples are the sampling unit; the
/// positions of a trajectory are the same for every resample).
///
/// Per-example scores are `scores[e][t]`, example e at position t. A dataset's score at t is the mean over its
/// examples (what llm-jp-eval's per-example metrics average to), so resampling examples with replacement gives the
/// bootstrap distribution of the mean score over positions and of the MTV of that series.
public enum ExampleStatistics {
    public static let defaultResamples = 1000
    public static let defaultSeed: UInt64 = 20_251_006

    /// Mean over positions of the per-position mean over examples, and the MTV of that series.
    static func meanAndMTV(_ scores: [[Double]], _ sample: [Int]) -> (mean: Double, mtv: Double?) {
        let positions = scores.first?.count ?? 0
        var series = [Double](repeating: 0, count: positions)
        for e in sample { for t in 0..<positions { series[t] += scores[e][t] } }
        for t in 0..<positions { series[t] /= Double(sample.count) }
        return (SeriesMetrics.mean(series) ?? .nan, SeriesMetrics.meanTotalVariation(series))
    }

    /// `count` resamples of `n` example indices with replacement, the same for every caller with the same seed (so
    /// a raw and an integrated trajectory of one dataset are resampled alike: a paired bootstrap).
    static func resamples(n: Int, count: Int, seed: UInt64) -> [[Int]] {
        var rng = SeededRandom(seed: seed, stream: "bootstrap")
        return (0..<count).map { _ in (0..<n).map { _ in rng.below(n) } }
    }

    /// Bootstrap intervals of the mean score and of the MTV; nil for fewer than one example or two positions.
    public static func bootstrap(_ scores: [[Double]], resamples count: Int = defaultResamples,
                                 seed: UInt64 = defaultSeed) -> (mean: ConfidenceInterval, mtv: ConfidenceInterval)? {
        guard !scores.isEmpty, (scores.first?.count ?? 0) >= 2, count >= 1 else { return nil }
        var means: [Double] = [], mtvs: [Double] = []
        for sample in resamples(n: scores.count, count: count, seed: seed) {
            let (m, v) = meanAndMTV(scores, sample)
            means.append(m)
            if let v { mtvs.append(v) }
        }
        return (interval(means), interval(mtvs))
    }

    /// Paired bootstrap of `integrated − raw` over the same examples: the two-sided p-value that the mean score
    /// (and the MTV) differ, as twice the share of resamples whose difference falls on the other side of zero
    /// (counting ties as half), capped at 1.
    public static func pairedBootstrap(raw: [[Double]], integrated: [[Double]], resamples count: Int = defaultResamples,
                                       seed: UInt64 = defaultSeed) -> (meanP: Double, mtvP: Double?)? {
        guard raw.count == integrated.count, !raw.isEmpty, count >= 1 else { return nil }
        var meanDiffs: [Double] = [], mtvDiffs: [Double] = []
        for sample in resamples(n: raw.count, count: count, seed: seed) {
            let a = meanAndMTV(raw, sample), b = meanAndMTV(integrated, sample)
            meanDiffs.append(b.mean - a.mean)
            if let x = a.mtv, let y = b.mtv { mtvDiffs.append(y - x) }
        }
        let all = Array(0..<raw.count)
        let observed = (meanAndMTV(raw, all), meanAndMTV(integrated, all))
        let meanP = twoSided(meanDiffs, observed: observed.1.mean - observed.0.mean)
        var mtvP: Double?
        if let x = observed.0.mtv, let y = observed.1.mtv, !mtvDiffs.isEmpty { mtvP = twoSided(mtvDiffs, observed: y - x) }
        return (meanP, mtvP)
    }

    /// McNemar's exact test on paired correctness, pooled over examples and positions: b pairs where only raw is
    /// correct, c where only the integrated trajectory is; p = min(1, 2 · P(X ≤ min(b, c))), X ~ Binomial(b + c, ½).
    public static func mcNemar(raw: [[Bool]], integrated: [[Bool]]) -> (onlyRaw: Int, onlyIntegrated: Int, p: Double)? {
        guard raw.count == integrated.count, !raw.isEmpty else { return nil }
        var b = 0, c = 0
        for (x, y) in zip(raw, integrated) {
            guard x.count == y.count else { return nil }
            for (r, i) in zip(x, y) where r != i { if r { b += 1 } else { c += 1 } }
        }
        return (b, c, min(1, 2 * binomialCDF(min(b, c), trials: b + c)))
    }

    /// P(X ≤ k) for X ~ Binomial(n, ½): terms by the exact recurrence C(n, i) = C(n, i−1)·(n−i+1)/i from 2⁻ⁿ while
    /// 2⁻ⁿ is a normal double, in log space beyond.
    static func binomialCDF(_ k: Int, trials n: Int) -> Double {
        guard n > 0 else { return 1 }
        var total = 0.0
        if n <= 1000 {
            var term = pow(2, -Double(n))
            for i in 0...k {
                if i > 0 { term *= Double(n - i + 1) / Double(i) }
                total += term
            }
        } else {
            for i in 0...k {
                total += exp(lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1)) - Double(n) * log(2))
            }
        }
        return min(1, total)
    }

    static func twoSided(_ diffs: [Double], observed: Double) -> Double {
        guard !diffs.isEmpty else { return 1 }
        let below = diffs.reduce(0.0) { $0 + ($1 < 0 ? 1 : $1 == 0 ? 0.5 : 0) }
        let above = Double(diffs.count) - below
        let other = observed >= 0 ? below : above
        return min(1, 2 * other / Double(diffs.count))
    }

    /// Percentiles by linear interpolation between order statistics (numpy's default).
    static func interval(_ values: [Double]) -> ConfidenceInterval {
        let sorted = values.sorted()
        func percentile(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let h = q * Double(sorted.count - 1)
            let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
        return ConfidenceInterval(low: percentile(0.025), high: percentile(0.975))
    }
}

/// One dataset's bootstrap intervals and, for an integrated trajectory, its paired tests against the raw one over
/// the same positions and examples.
public struct DatasetStatistics: Sendable, Codable, Equatable {
    public var meanScoreCI: ConfidenceInterval
    public var mtvCI: ConfidenceInterval
    /// Integrated trajectories only: McNemar on per-example correctness (pooled over positions) and the paired
    /// bootstrap p-values of the mean-score and MTV differences.
    public var onlyRawCorrect: Int?
    public var onlyIntegratedCorrect: Int?
    public var mcNemarP: Double?
    public var meanScoreP: Double?
    public var mtvP: Double?

    /// nil for datasets without per-example scores on the category scale (corpus-level metrics: BLEU, pearson...).
    static func compute(_ series: DatasetSeries, against raw: DatasetSeries?, options: StabilityOptions)
        -> DatasetStatistics? {
        guard series.hasExampleScores, series.scale == 1, options.bootstrapResamples > 0 else { return nil }
        let scores = series.examples.map { $0.scores ?? [] }
        guard let (meanCI, mtvCI) = ExampleStatistics.bootstrap(scores, resamples: options.bootstrapResamples,
                                                                 seed: options.bootstrapSeed) else { return nil }
        var result = DatasetStatistics(meanScoreCI: meanCI, mtvCI: mtvCI)
        guard let raw, raw.hasExampleScores else { return result }
        let byIndex = Dictionary(raw.examples.map { ($0.index, $0.scores ?? []) }, uniquingKeysWith: { a, _ in a })
        let paired = series.examples.compactMap { e in byIndex[e.index].map { ($0, e.scores ?? []) } }
        guard paired.count == series.examples.count else { return result }
        let rawScores = paired.map(\.0), integrated = paired.map(\.1)
        let correct = { (s: [[Double]]) in s.map { $0.map { $0 >= options.correctnessThreshold } } }
        if let m = ExampleStatistics.mcNemar(raw: correct(rawScores), integrated: correct(integrated)) {
            result.onlyRawCorrect = m.onlyRaw
            result.onlyIntegratedCorrect = m.onlyIntegrated
            result.mcNemarP = m.p
        }
        if let p = ExampleStatistics.pairedBootstrap(raw: rawScores, integrated: integrated,
                                                     resamples: options.bootstrapResamples, seed: options.bootstrapSeed) {
            result.meanScoreP = p.meanP
            result.mtvP = p.mtvP
        }
        return result
    }
}
