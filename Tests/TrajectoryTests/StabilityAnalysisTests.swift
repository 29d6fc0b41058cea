import Testing
@testable import Trajectory

@Suite struct StabilityAnalysisTests {
    let summary: StabilitySummary

    init() throws {
        summary = try StabilityAnalysis.summarize(TableFixtures.fourCheckpoints())
    }

    func row(_ name: String) -> StabilityMetrics? {
        summary.allRows.first { $0.name == name }?.metrics
    }

    @Test func datasetLevelExactMatch() throws {
        // jnli: S_D = [1/3, 2/3, 1/3, 1]; per-example 0/1 series [1,1,0,1], [0,1,1,1], [0,0,0,1].
        let jnli = try #require(row("jnli"))
        #expect(close(jnli.meanScore, 7.0 / 12))
        #expect(close(jnli.aggregateMTV, (1.0 / 3 + 1.0 / 3 + 2.0 / 3) / 3))
        #expect(close(jnli.exampleMTV, (2.0 / 3 + 1.0 / 3 + 1.0 / 3) / 3))
        // Answer changes: e0 2 of 3, e1 1 of 3, e2 3 of 3 (wrong → wrong changes count).
        #expect(close(jnli.instability, (2.0 / 3 + 1.0 / 3 + 1.0) / 3))
        #expect(close(jnli.flipRate, 4.0 / 9))  // equals per-example MTV on a 0/1 metric
        #expect(jnli.flippedOnce == 1)
        #expect(jnli.upFlips == 3 && jnli.downFlips == 1)
        #expect(close(jnli.noise, Double(11).squareRoot() / 7))
        #expect(summary.pairFlips["jnli"] == [PairFlips(fromStep: 100, toStep: 200, up: 1, down: 0),
                                              PairFlips(fromStep: 200, toStep: 300, up: 0, down: 1),
                                              PairFlips(fromStep: 300, toStep: 400, up: 2, down: 0)])
        let jamp = try #require(row("jamp"))
        #expect(close(jamp.aggregateMTV, 0.5) && close(jamp.exampleMTV, 0.5) && close(jamp.instability, 0.5))
        #expect(jamp.flippedOnce == 0.5 && jamp.upFlips == 1 && jamp.downFlips == 2)
        #expect(close(jamp.noise, 0.25 / 0.75))
    }

    @Test func gradedMetricUsesThresholdForFlips() throws {
        let niilc = try #require(row("niilc"))
        #expect(close(niilc.aggregateMTV, 0.25) && close(niilc.exampleMTV, 0.25))
        #expect(close(niilc.instability, 2.0 / 3))
        #expect(niilc.flipRate == 0 && niilc.flippedOnce == 0)  // never ≥ τ = 1
        let mean = 0.5625
        let variance = (0.0625 * 0.0625 + 0.1875 * 0.1875 * 2 + 0.3125 * 0.3125) / 4
        #expect(close(niilc.noise, variance.squareRoot() / mean))
    }

    @Test func corpusLevelDatasetHasOnlyAggregateAndIS() throws {
        let jsts = try #require(row("jsts"))
        #expect(jsts.exampleMTV == nil && jsts.flipRate == nil && jsts.upFlips == nil)
        #expect(close(jsts.instability, 1.0 / 3))
        #expect(close(jsts.aggregateMTV, (0.1 + 0.2 + 0) / 3))
    }

    @Test func categoryAndAverageLevels() throws {
        // S_NLI = [2/3, 7/12, 2/3, 3/4]
        let nli = try #require(summary.categories.first { $0.name == "NLI" }).metrics
        #expect(close(nli.aggregateMTV, 1.0 / 12))
        #expect(close(nli.exampleMTV, (4.0 / 9 + 0.5) / 2))
        #expect(close(nli.instability, (2.0 / 3 + 0.5) / 2))
        #expect(nli.upFlips == 4 && nli.downFlips == 3)
        #expect(summary.categorySeries["NLI"].map { zip($0, [2.0 / 3, 7.0 / 12, 2.0 / 3, 0.75]).allSatisfy {
            abs($0 - $1) < 1e-12 } } == true)
        // AVG over the paper's categories present (NLI, QA; STS is not one):
        // S_AVG = [7/12, 2/3, 17/24, 1/2]
        let avg = try #require(summary.average).metrics
        #expect(close(avg.meanScore, (7.0 / 12 + 2.0 / 3 + 17.0 / 24 + 0.5) / 4))
        #expect(close(avg.aggregateMTV, (1.0 / 12 + 1.0 / 24 + 5.0 / 24) / 3))
        #expect(close(avg.exampleMTV, ((4.0 / 9 + 0.5) / 2 + 0.25) / 2))
        #expect(close(avg.instability, ((2.0 / 3 + 0.5) / 2 + 2.0 / 3) / 2))
    }

    @Test func metricSimilarityIsCalledEarlierFirst() throws {
        let options = StabilityOptions(similarity: .metric(name: "prefix", function: { _, a, b in
            b.hasPrefix(a) ? 1 : 0
        }))
        let s = try StabilityAnalysis.summarize(TableFixtures.fourCheckpoints(), options: options)
        // niilc: x→xy similar, xy→xy similar, xy→z not: IS = 1/3.
        #expect(close(s.datasets.first { $0.name == "niilc" }?.metrics.instability, 1.0 / 3))
    }

    @Test func inconsistentTableIsRejected() {
        var table = TableFixtures.fourCheckpoints()
        table.datasets[0].examples[1].predictions.removeLast()
        #expect(throws: TrajectoryError.self) { try StabilityAnalysis.summarize(table) }
    }
}
