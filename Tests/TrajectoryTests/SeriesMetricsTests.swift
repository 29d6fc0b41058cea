import Testing
@testable import Trajectory

@Suite struct SeriesMetricsTests {
    @Test func meanTotalVariationFollowsExpressionOne() {
        let l = [0.5, 0.7, 0.4, 0.4, 0.9]
        let expected = (abs(0.7 - 0.5) + abs(0.4 - 0.7) + abs(0.4 - 0.4) + abs(0.9 - 0.4)) / 4
        #expect(abs(SeriesMetrics.meanTotalVariation(l)! - expected) < 1e-15)
        #expect(SeriesMetrics.meanTotalVariation([0.3]) == nil)
        #expect(SeriesMetrics.meanTotalVariation([]) == nil)
    }

    @Test func instabilityScoreCountsAnswerChangesEvenWhenWrong() {
        // b → c is a wrong-to-wrong change: it counts.
        let outputs = ["a", "b", "c", "c", "a"]
        #expect(SeriesMetrics.instabilityScore(outputs, similarity: SeriesMetrics.exactSimilarity) == 3.0 / 4.0)
        #expect(SeriesMetrics.instabilityScore(["x"], similarity: SeriesMetrics.exactSimilarity) == nil)
        // Exact similarity is code-point equality: NFC "é" and decomposed "é" differ.
        #expect(SeriesMetrics.exactSimilarity("\u{e9}", "e\u{301}") == 0)
        // A graded similarity is used as given, called (earlier, later).
        var calls: [String] = []
        let graded = SeriesMetrics.instabilityScore(["ab", "abc"]) { a, b in
            calls.append(a + ">" + b)
            return 0.25
        }
        #expect(graded == 0.75)
        #expect(calls == ["ab>abc"])
    }

    @Test func flipsSplitUpAndDown() {
        let f = SeriesMetrics.flips([false, true, true, false, true])
        #expect(f.up == 2 && f.down == 1 && f.pairs == 4)
        #expect(f.rate == 3.0 / 4.0)
        #expect(SeriesMetrics.flips([true]).rate == nil)
    }

    @Test func noiseIsPopulationStdOverMean() {
        let xs = [1.0, 2.0, 3.0, 6.0]
        let mean = 12.0 / 4
        let variance = ((1 - mean) * (1 - mean) + (2 - mean) * (2 - mean) + 0 + (6 - mean) * (6 - mean)) / 4
        #expect(abs(SeriesMetrics.relativeNoise(xs)! - variance.squareRoot() / mean) < 1e-15)
        let sample = variance * 4 / 3
        #expect(abs(SeriesMetrics.relativeNoise(xs, ddof: 1)! - sample.squareRoot() / mean) < 1e-15)
        #expect(SeriesMetrics.relativeNoise([0, 0]) == nil)
        #expect(SeriesMetrics.relativeNoise([]) == nil)
    }
}
