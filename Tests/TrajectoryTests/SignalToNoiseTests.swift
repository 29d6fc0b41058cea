import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// Gold log-prob MTV and signal-to-noise on a hand-built trajectory (values worked out by hand in the comments).
@Suite struct SignalToNoiseTests {
    /// Four checkpoints; scores S = [0.2, 0.6, 0.5, 0.7]; two examples whose gold log-probs are
    /// e0: [−4, −2, −3, −1], e1: [−6, −4, −3, −3], so the mean gold log-prob series is [−5, −3, −3, −2].
    static func table() -> TrajectoryTable {
        let gold: [[Double]] = [[-4, -2, -3, -1], [-6, -4, -3, -3]]
        let examples = (0..<2).map { e in
            ExampleSeries(index: e, gold: "g", predictions: ["p", "p", "p", "p"], scores: nil,
                          logprobs: gold[e].map { ExampleLogprobs(gold: $0, goldTokens: 2, prediction: -1, predictionTokens: 1) })
        }
        let series = DatasetSeries(dataset: "d", category: "NLI", mainMetric: "pearson", scores: [0.2, 0.6, 0.5, 0.7],
                                   examples: examples)
        return TrajectoryTable(steps: [100, 200, 300, 400], datasets: [series])
    }

    @Test func definitionsOnHandValues() {
        // Dispersion (max − min) / |mean|: [−5, −3, −3, −2] → 3 / 3.25.
        #expect(abs(SignalToNoise.relativeDispersion([-5, -3, -3, -2])! - 3 / 3.25) < 1e-12)
        #expect(SignalToNoise.relativeDispersion([1]) == nil && SignalToNoise.relativeDispersion([1, -1]) == nil)
        // Relative std (ddof 0): [−3, −3, −2] has mean −8/3, variance (1/9 + 1/9 + 4/9) / 3 = 2/9 → √(2/9) / (8/3).
        #expect(abs(SignalToNoise.relativeStd([-3, -3, -2], ddof: 0)! - (2.0 / 9).squareRoot() / (8.0 / 3)) < 1e-12)
        #expect(SignalToNoise.ratio(whole: [1, 2], analysed: [2, 2], ddof: 0) == nil)  // zero noise
    }

    @Test func stabilityReportsGoldLogprobMTVAndSignalToNoise() throws {
        let rows = try StabilitySweep.run(raw: Self.table(), windows: [1], span: .lastCount(3))
        let metrics = try #require(rows.first?.summary.datasets.first?.metrics)
        // Analysed positions: the last three. Gold series there [−3, −3, −2]: mean −8/3, MTV (0 + 1) / 2 = 0.5.
        #expect(abs(metrics.goldLogprobMean! + 8.0 / 3) < 1e-12)
        #expect(metrics.goldLogprobMTV == 0.5)
        // Score: signal over the whole run (0.7 − 0.2) / 0.5 = 1; noise over [0.6, 0.5, 0.7]: mean 0.6, variance
        // (0 + 0.01 + 0.01) / 3 → √(0.02/3) / 0.6 = 0.136083; SNR = 1 / 0.136083 = 3√6 = 7.348469.
        #expect(abs(metrics.signalToNoise! - 3 * 6.0.squareRoot()) < 1e-9)
        // Gold: signal 3 / 3.25 = 12/13; noise √(2/9) / (8/3) = √2/8; SNR = 96 / (13√2) = 5.221684.
        #expect(abs(metrics.goldLogprobSignalToNoise! - (3 / 3.25) / ((2.0 / 9).squareRoot() / (8.0 / 3))) < 1e-9)
        #expect(abs(metrics.goldLogprobSignalToNoise! - 96 / (13 * 2.0.squareRoot())) < 1e-9)
    }

    @Test func withoutLogprobsTheGoldFieldsAreAbsent() throws {
        var table = Self.table()
        table.datasets[0].examples[1].logprobs?[2] = nil
        let metrics = try #require(try StabilitySweep.run(raw: table, windows: [1], span: .lastCount(3))
            .first?.summary.datasets.first?.metrics)
        #expect(metrics.goldLogprobMean == nil && metrics.goldLogprobMTV == nil && metrics.goldLogprobSignalToNoise == nil)
        #expect(metrics.signalToNoise != nil)
    }
}
