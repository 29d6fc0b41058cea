import Testing
@testable import Trajectory

/// Exact match against the gold, as llm-jp-eval scores a 0/1 dataset.
struct ExactMatchScorer: DatasetRescorer {
    func rescore(_ dataset: DatasetSeries, predictions: [String]) throws -> RescoredDataset {
        let per = zip(predictions, dataset.examples).map { ["exact_match": $0 == $1.gold ? 1.0 : 0.0] }
        let main = per.map { $0["exact_match"]! }.reduce(0, +) / Double(max(1, per.count))
        return RescoredDataset(perExample: per, metrics: ["exact_match": main], main: main)
    }
}

@Suite struct EnsembleTests {
    @Test func majorityWinsAndTiesGoToTheNewest() {
        #expect(MajorityVote.vote(["a", "b", "a"]) == VoteOutcome(winner: "a", votes: 2, decidedByTieBreak: false, member: 2))
        #expect(MajorityVote.vote(["a", "b"]) == VoteOutcome(winner: "b", votes: 1, decidedByTieBreak: true, member: 1))
        #expect(MajorityVote.vote(["b", "a", "b", "a"])?.winner == "a")
        #expect(MajorityVote.vote(["a", "b", "b", "a"])?.winner == "a")
        #expect(MajorityVote.vote(["x", "y", "z"]) == VoteOutcome(winner: "z", votes: 1, decidedByTieBreak: true, member: 2))
        #expect(MajorityVote.vote(["b", "b", "a"]) == VoteOutcome(winner: "b", votes: 2, decidedByTieBreak: false, member: 1))
        #expect(MajorityVote.vote([]) == nil)
    }

    @Test func trailingEnsembleOfThree() throws {
        let raw = TableFixtures.fourCheckpoints()
        let result = try EnsembleBuilder.build(raw: TrajectoryTable(steps: raw.steps, datasets: [raw.datasets[0]]),
                                               window: CheckpointWindow(size: 3), scorer: ExactMatchScorer())
        #expect(result.positions == [2, 3])
        #expect(result.table.steps == [300, 400])
        // jnli at 300: windows {e,e,c} → e; {n,c,c} → c; {n,c,n} → n.
        // jnli at 400: {e,c,e} → e; {c,c,c} → c; {c,n,e} → tie → e (newest).
        let jnli = result.table.datasets[0]
        #expect(jnli.examples.map(\.predictions) == [["entailment", "entailment"],
                                                    ["contradiction", "contradiction"],
                                                    ["neutral", "entailment"]])
        #expect(jnli.scores == [2.0 / 3, 1.0])
        #expect(jnli.examples.map { $0.scores! } == [[1, 1], [1, 1], [0, 1]])
        #expect(result.entries.map(\.tieBroken) == [0, 1])
        #expect(result.entries[1].memberSteps == [200, 300, 400])
        #expect(result.tieBreakFraction["jnli"] == 1.0 / 6)
    }

    @Test func centredEnsembleOfTwo() throws {
        let raw = TableFixtures.fourCheckpoints()
        let table = TrajectoryTable(steps: raw.steps, datasets: [raw.datasets[1]])
        let result = try EnsembleBuilder.build(raw: table, window: CheckpointWindow(size: 2, alignment: .centred),
                                               scorer: ExactMatchScorer())
        // n = 2 centred = {t−1, t}: every pair ties, so the later answer wins → raw predictions at 1…3.
        #expect(result.positions == [1, 2, 3])
        #expect(result.table.datasets[0].examples[1].predictions == ["a", "b", "a"])
    }

    @Test func sweepComparesOnTheSamePositions() throws {
        let raw = TableFixtures.fourCheckpoints()
        let subset = TrajectoryTable(steps: raw.steps, datasets: Array(raw.datasets[0...1]))
        let rows = try StabilitySweep.run(raw: subset, windows: [1, 2, 3, 5], span: .all, scorer: ExactMatchScorer())
        #expect(rows.map { "\($0.method.rawValue)\($0.window)" } == ["raw1", "raw2", "ensemble2", "raw3", "ensemble3"])
        let raw3 = try #require(rows.first { $0.method == .raw && $0.window == 3 })
        #expect(raw3.summary.steps == [300, 400])
        // raw jnli at 300, 400: S = 1/3, 1 → MTV 2/3; ensemble: 2/3, 1 → MTV 1/3.
        #expect(close(raw3.summary.datasets[0].metrics.aggregateMTV, 2.0 / 3))
        let ens3 = try #require(rows.first { $0.method == .ensemble && $0.window == 3 })
        #expect(close(ens3.summary.datasets[0].metrics.aggregateMTV, 1.0 / 3))
        // Averaged trajectory supplied for n = 2 is compared on positions 1…3 (the final fifth of 4 is 2 positions).
        var averaged = subset.restricted(to: [1, 2, 3])
        averaged.datasets[0].scores = [0.5, 0.5, 0.5]
        let withAverage = try StabilitySweep.run(raw: subset, averaged: [2: averaged], windows: [2],
                                                 scorer: ExactMatchScorer())
        let avg2 = try #require(withAverage.first { $0.method == .average })
        #expect(avg2.summary.steps == [300, 400])
        #expect(avg2.summary.datasets[0].metrics.aggregateMTV == 0)
    }
}
