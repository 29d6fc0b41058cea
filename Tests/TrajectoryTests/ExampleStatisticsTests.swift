import Testing
@testable import Trajectory

/// The bootstrap and McNemar on cases small enough to derive by hand.
@Suite struct ExampleStatisticsTests {
    @Test func mcNemarExactPValues() throws {
        // Example 0: raw right/integrated wrong at t=1 (b), the reverse at t=2 (c); example 1: c twice. b=1, c=3:
        // P(X ≤ 1 | n=4, ½) = (1 + 4)/16, p = 10/16.
        let raw = [[true, true, false], [true, false, false]]
        let integrated = [[true, false, true], [true, true, true]]
        let m = try #require(ExampleStatistics.mcNemar(raw: raw, integrated: integrated))
        #expect(m.onlyRaw == 1 && m.onlyIntegrated == 3 && m.p == 0.625)
        // b=0, c=5: p = 2 · 1/32.
        let five = try #require(ExampleStatistics.mcNemar(raw: [[false, false, false, false, false]],
                                                          integrated: [[true, true, true, true, true]]))
        #expect(five.p == 0.0625)
        // b=c=2: 2 · 11/16 > 1, capped; no discordant pair at all: p = 1.
        #expect(ExampleStatistics.mcNemar(raw: [[true, true, false, false]], integrated: [[false, false, true, true]])?.p == 1)
        #expect(ExampleStatistics.mcNemar(raw: [[true]], integrated: [[true]])?.p == 1)
        #expect(ExampleStatistics.mcNemar(raw: [[true]], integrated: [[true], [false]]) == nil)
    }

    @Test func percentilesInterpolateAsNumpy() {
        // numpy.percentile([1, 2, 3, 4, 5], [2.5, 97.5]) = [1.1, 4.9].
        let ci = ExampleStatistics.interval([5, 3, 1, 4, 2])
        #expect(abs(ci.low - 1.1) < 1e-12 && abs(ci.high - 4.9) < 1e-12)
    }

    @Test func bootstrapIntervalsOfKnownDistributions() throws {
        // Identical examples: every resample is the same series, the intervals collapse to the point (mean 0.5,
        // MTV |1 − 0| = 1 over positions [0, 1]).
        let same = try #require(ExampleStatistics.bootstrap([[0, 1], [0, 1], [0, 1]]))
        #expect(same.mean == ConfidenceInterval(low: 0.5, high: 0.5) && same.mtv == ConfidenceInterval(low: 1, high: 1))
        // Two examples, always 0 and always 1: a resample's mean is 0, ½ or 1 with probabilities ¼, ½, ¼, so the
        // 2.5 % and 97.5 % points of 1000 resamples are 0 and 1; a flat series has MTV 0 in every resample.
        let split = try #require(ExampleStatistics.bootstrap([[0, 0], [1, 1]]))
        #expect(split.mean == ConfidenceInterval(low: 0, high: 1) && split.mtv == ConfidenceInterval(low: 0, high: 0))
        #expect(ExampleStatistics.bootstrap([[1]]) == nil)  // one position: no MTV
    }

    @Test func pairedBootstrapPValues() throws {
        let raw: [[Double]] = [[0, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]]
        // The same trajectory: every difference is 0 (ties count half), p = 1.
        let same = try #require(ExampleStatistics.pairedBootstrap(raw: raw, integrated: raw))
        #expect(same.meanP == 1 && same.mtvP == 1)
        // Every example 0.25 better at every position: every resample's mean difference is +0.25, none on the
        // other side, p = 0; the series move alike, so the MTV difference is 0 everywhere, p = 1.
        let better = raw.map { $0.map { $0 + 0.25 } }
        let shifted = try #require(ExampleStatistics.pairedBootstrap(raw: raw, integrated: better))
        #expect(shifted.meanP == 0 && shifted.mtvP == 1)
        // Resamples are seeded: the same call gives the same indices.
        #expect(ExampleStatistics.resamples(n: 5, count: 3, seed: 1) == ExampleStatistics.resamples(n: 5, count: 3, seed: 1))
    }

    @Test func binomialTailSumsToOne() {
        #expect(abs(ExampleStatistics.binomialCDF(40, trials: 40) - 1) < 1e-12)
        #expect(abs(ExampleStatistics.binomialCDF(0, trials: 3) - 0.125) < 1e-15)
    }
}
