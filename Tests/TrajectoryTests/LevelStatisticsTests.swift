import Foundation
import Testing
@testable import Trajectory

/// Category and AVG bootstrap on hand-derived cases.
@Suite struct LevelStatisticsTests {
    static func series(_ name: String, _ category: String, _ examples: [[Double]], metric: String = "exact_match")
        -> DatasetSeries {
        let positions = examples.first?.count ?? 0
        let scores = (0..<positions).map { t in examples.map { $0[t] }.reduce(0, +) / Double(examples.count) }
        return DatasetSeries(dataset: name, category: category, mainMetric: metric, scores: scores,
                             examples: examples.enumerated().map { i, s in
                                 ExampleSeries(index: i, gold: "", predictions: s.map { String($0) }, scores: s)
                             })
    }

    static let options = StabilityOptions(averageCategories: ["NLI", "QA"], bootstrapResamples: 1000)

    /// Two examples with opposite series: every resample's mean is 0.5; MTV is 1 when both draws are the same
    /// example (probability ½) and 0 otherwise, so its interval is [0, 1].
    @Test func oppositeExamples() throws {
        let table = TrajectoryTable(steps: [1, 2], datasets: [Self.series("a", "NLI", [[1, 0], [0, 1]])])
        let stats = try #require(LevelBootstrap.compute(table, against: nil, options: Self.options))
        let nli = try #require(stats["NLI"])
        #expect(nli.meanScoreCI == ConfidenceInterval(low: 0.5, high: 0.5))
        #expect(nli.mtvCI == ConfidenceInterval(low: 0, high: 1))
        #expect(nli.band.count == 2 && nli.band[0] == ConfidenceInterval(low: 0, high: 1))
        #expect(stats["AVG"]?.meanScoreCI == nli.meanScoreCI)
    }

    /// Identical examples make every resample the observed series; a corpus-level dataset stays fixed; AVG is the
    /// mean of the categories: (0.5 + 0.75) / 2 at t=1 and (1 + 0.25) / 2 at t=2.
    @Test func fixedAndDegenerateDatasets() throws {
        var corpus = Self.series("c", "QA", [[0.75, 0.25]], metric: "bleu")
        corpus.examples = corpus.examples.map { var e = $0; e.scores = nil; return e }
        let table = TrajectoryTable(steps: [1, 2], datasets: [Self.series("a", "NLI", [[0.5, 1], [0.5, 1]]), corpus])
        let stats = try #require(LevelBootstrap.compute(table, against: nil, options: Self.options))
        #expect(stats["QA"]?.resampledDatasets == 0 && stats["QA"]?.fixedDatasets == 1)
        #expect(stats["QA"]?.meanScoreCI == ConfidenceInterval(low: 0.5, high: 0.5))
        let avg = try #require(stats["AVG"])
        #expect(avg.meanScoreCI == ConfidenceInterval(low: 0.625, high: 0.625))
        #expect(avg.mtvCI == ConfidenceInterval(low: 0, high: 0))  // 0.625 → 0.625
        #expect(avg.resampledDatasets == 1 && avg.fixedDatasets == 1)
    }

    /// An integrated trajectory equal to raw: every paired difference is 0, so p = 1; McNemar has no discordant pair.
    @Test func identicalTrajectoriesAreNotDifferent() throws {
        let table = TrajectoryTable(steps: [1, 2, 3], datasets: [Self.series("a", "NLI", [[1, 0, 1], [0, 0, 1], [1, 1, 0]])])
        let stats = try #require(LevelBootstrap.compute(table, against: table, options: Self.options))
        #expect(stats["NLI"]?.meanScoreP == 1 && stats["NLI"]?.mtvP == 1 && stats["NLI"]?.mcNemarP == 1)
    }

    /// Same seed, same intervals; the sweep attaches them to categories and AVG.
    @Test func seededAndInTheSweep() throws {
        let raw = TrajectoryTable(steps: [1, 2, 3], datasets: [Self.series("a", "NLI", [[1, 0, 1], [0, 0, 1], [1, 1, 0]])])
        let a = LevelBootstrap.compute(raw, against: nil, options: Self.options)
        let b = LevelBootstrap.compute(raw, against: nil, options: Self.options)
        #expect(a == b)
        let sweep = try StabilitySweep.run(raw: raw, windows: [1], span: .all, options: Self.options)
        #expect(sweep.first?.levelStatistics == a)
    }
}
