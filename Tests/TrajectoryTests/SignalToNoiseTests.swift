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

    /// A second NLI dataset with one example whose gold log-probs are [−1, −1, −2, −2]: the NLI (and AVG) series
    /// is the mean of the two datasets' series, [−3, −2, −2.5, −2].
    static func twoDatasets() -> TrajectoryTable {
        var table = table()
        let e = ExampleSeries(index: 0, gold: "g", predictions: ["p", "p", "p", "p"], scores: nil,
                              logprobs: [-1.0, -1, -2, -2].map {
                                  ExampleLogprobs(gold: $0, goldTokens: 1, prediction: -1, predictionTokens: 1) })
        table.datasets.append(DatasetSeries(dataset: "d2", category: "NLI", mainMetric: "pearson",
                                            scores: [0.3, 0.3, 0.4, 0.4], examples: [e]))
        return table
    }

    @Test func categoriesAndAVGCarryTheGoldLogprobOfTheirDatasets() throws {
        let rows = try StabilitySweep.run(raw: Self.twoDatasets(), windows: [1], span: .lastCount(3))
        let summary = try #require(rows.first?.summary)
        let nli = try #require(summary.categories.first { $0.name == "NLI" }?.metrics)
        let avg = try #require(summary.average?.metrics)
        // Analysed: [−2, −2.5, −2]: mean −13/6, MTV (0.5 + 0.5) / 2 = 0.5.
        for m in [nli, avg] {
            #expect(abs(m.goldLogprobMean! + 13.0 / 6) < 1e-12)
            #expect(abs(m.goldLogprobMTV! - 0.5) < 1e-12)
            // Signal over [−3, −2, −2.5, −2]: 1 / 2.375; noise: deviations (1/6, −1/3, 1/6) → variance 1/18 (ddof 0),
            // relative std √(1/18) / (13/6).
            #expect(abs(m.goldLogprobSignalToNoise! - (1 / 2.375) / ((1.0 / 18).squareRoot() / (13.0 / 6))) < 1e-9)
        }
        // Score SNR of NLI: S = [0.25, 0.45, 0.45, 0.55]; signal 0.3 / 0.425; analysed [0.45, 0.45, 0.55]: mean
        // 29/60, deviations (−1/30, −1/30, 1/15) → variance (1 + 1 + 4) / 900 / 3 = 1/450.
        #expect(abs(nli.signalToNoise! - (0.3 / 0.425) / ((1.0 / 450).squareRoot() / (29.0 / 60))) < 1e-9)
        #expect(summary.goldSeries["NLI"] == [-2, -2.5, -2])
    }

    @Test func theExportsAndTheReportShowTheGoldLogprob() throws {
        let table = Self.twoDatasets()
        let rows = try StabilitySweep.run(raw: table, windows: [1], span: .lastCount(3))
        let csv = StabilityExport.csv(rows).split(separator: "\n").map(String.init)
        let header = csv[0].split(separator: ",").map(String.init)
        let nli = try #require(csv.first { $0.hasPrefix("raw,1,trailing,,category,NLI,") }).split(separator: ",",
            omittingEmptySubsequences: false).map(String.init)
        let mtv = try #require(header.firstIndex(of: "gold_logprob_mtv"))
        #expect(Double(nli[mtv]) == 0.5 && header.contains("gold_logprob_snr") && header.contains("signal_to_noise"))
        let text = StabilityExport.text(rows)
        #expect(text.contains("goldLP MTV") && text.contains("-2.1667") && text.contains("0.5000"))

        let dir = try TempDir("kasane-gold-report"); defer { dir.cleanup() }
        let input = ReportInput(runName: "gold", settings: [], raw: table, averaged: [:], ensembles: [:], sweep: rows,
                                excluded: [:])
        let written = try ReportWriter.write(input, to: dir.path)
        #expect(written.contains { $0.hasSuffix("figures/gold-logprob-AVG.svg") })
        #expect(written.contains { $0.hasSuffix("figures/gold-logprob-NLI.svg") })
        let html = try String(contentsOfFile: dir.file("report.html"), encoding: .utf8)
        #expect(html.contains("<h3>Mean gold log-prob</h3>") && html.contains("<h3>Gold log-prob MTV</h3>"))
        #expect(html.contains("id=\"gold-logprob\""))
    }
}
