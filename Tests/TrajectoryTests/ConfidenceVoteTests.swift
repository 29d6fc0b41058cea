import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// The confidence-weighted vote on hand-derived cases (weights and sums worked out in the comments).
@Suite struct ConfidenceVoteTests {
    @Test func weightsDecideAndExactTiesGoToTheNewest() {
        // a: 0.9; b: 0.3 + 0.4 = 0.7 → a, although b has more votes.
        #expect(ConfidenceVote.vote(["a", "b", "b"], weights: [0.9, 0.3, 0.4])
            == VoteOutcome(winner: "a", votes: 1, decidedByTieBreak: false, member: 0))
        // a: 0.25 + 0.25 = 0.5 (exact in binary); b: 0.5 → tie, the newest member (b, offset 2) decides.
        #expect(ConfidenceVote.vote(["a", "a", "b"], weights: [0.25, 0.25, 0.5])
            == VoteOutcome(winner: "b", votes: 1, decidedByTieBreak: true, member: 2))
        // Equal weights reduce to the majority vote: a 2×0.5 = 1 > b 0.5.
        #expect(ConfidenceVote.vote(["a", "b", "a"], weights: [0.5, 0.5, 0.5])?.winner == "a")
        #expect(ConfidenceVote.vote([], weights: []) == nil)
        // exp(mean log-prob): mean −2 → e^−2.
        #expect(ConfidenceVote.weight(meanLogprob: -2) == exp(-2.0))
        #expect(ConfidenceVote.weight(meanLogprob: nil) == 1)
    }

    /// Three raw checkpoints (steps 100, 200, 300) of one exact-match dataset with two examples, window 3 (trailing,
    /// one position: step 300).
    /// Example 0, gold "A": predictions A, B, B with (log-prob, tokens) (−0.1, 1), (−6, 3), (−3, 2): means −0.1, −2,
    ///   −1.5 → weights e^−0.1 = 0.9048, e^−2 = 0.1353, e^−1.5 = 0.2231. A: 0.9048 > B: 0.3585 → A (majority: B).
    /// Example 1, gold "D": predictions C, D, C with (−2, 2), (−0.1, 2), (−1, 1): means −1, −0.05, −1 → weights
    ///   0.3679, 0.9512, 0.3679. C: 0.7358 < D: 0.9512 → D (majority: C).
    /// So confidence scores exact match (1 + 1) / 2 = 1 and majority (0 + 0) / 2 = 0.
    static func makeStore(_ path: String, withLogprobs: Bool = true,
                          noLogprobsAt: Set<Int> = []) throws -> (ResultStore, StoredRun) {
        let store = try ResultStore(path: path)
        let run = try store.openRun(name: "toy", source: "/toy", settings: StoreSettings(["shots": "0"]))
        let d = try store.registerDataset(DatasetSpec(name: "jnli", contentHash: "h", category: "NLI",
                                                      metrics: ["exact_match"], inputs: ["q0", "q1"]))
        try store.planDatasets(run: run.id, [(d.id, 2)])
        let predictions = [["A", "B", "B"], ["C", "D", "C"]], golds = ["A", "D"]
        let logprobs: [[(Double, Int)]] = [[(-0.1, 1), (-6, 3), (-3, 2)], [(-2, 2), (-0.1, 2), (-1, 1)]]
        for t in 0..<3 {
            let model = try store.registerModel(.raw(step: (t + 1) * 100, fingerprint: "fp\(t)", path: "/toy/\(t)"),
                                                run: run.id)
            let rows = (0..<2).map { e in
                PredictionRecord(index: e, promptHash: "p\(e)", promptTokens: 4, generated: predictions[e][t],
                                 prediction: predictions[e][t], gold: golds[e],
                                 metrics: ["exact_match": predictions[e][t] == golds[e] ? 1 : 0],
                                 logprobs: withLogprobs && !noLogprobsAt.contains(t) ? ExampleLogprobs(gold: -1, goldTokens: 1, prediction: logprobs[e][t].0,
                                                                          predictionTokens: logprobs[e][t].1) : nil)
            }
            try store.insertPredictions(rows, model: model.id, dataset: d.id)
            let main = rows.map { $0.metrics["exact_match"] ?? 0 }.reduce(0, +) / 2
            try store.setScore(DatasetScore(dataset: "jnli", category: "NLI", metrics: ["exact_match": main],
                                           mainMetric: "exact_match", main: main, sampleCount: 2),
                               model: model.id, dataset: d.id)
        }
        return (store, run)
    }

    @Test func bothVotesAreStoredSideBySide() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let (store, run) = try Self.makeStore(dir.file("s.sqlite"))
        let majority = try EnsembleRun.run(db: store.path, run: nil, sizes: [3], alignment: .trailing)
        let confidence = try EnsembleRun.run(db: store.path, run: nil, sizes: [3], alignment: .trailing, vote: .confidence)
        #expect(majority.windows.first?.steps == [300] && confidence.windows.first?.steps == [300])
        #expect(confidence.windows.first?.line.contains("confidence vote") == true)
        #expect(confidence.lines == confidence.windows.map(\.line))
        let ensembles = try store.models(run: run.id).filter { $0.kind == .ensemble }
        #expect(Set(ensembles.map(\.spec.weights)) == ["vote", "confidence-vote"])
        let dataset = try #require(try store.datasets(run: run.id).first)
        for model in ensembles {
            let voted = try store.predictions(model: model.id, dataset: dataset.id)
            let score = try store.scores(model: model.id).first?.main
            if model.spec.weights == "vote" {
                #expect(voted.map(\.prediction) == ["B", "C"] && score == 0)
            } else {
                #expect(voted.map(\.prediction) == ["A", "D"] && score == 1)
            }
            #expect(voted.allSatisfy { $0.logprobs == nil })  // no single model produced an ensemble's prediction
        }
        // The stability tables keep using the majority vote's ensembles.
        let stability = try StabilityRunner.run(store: store, request: StabilityRequest(span: .all, windows: [1, 3]),
                                                scorer: nil)
        #expect(stability.ensembles[3]?.datasets.first?.scores == [0])
    }

    @Test func aConfidenceVoteWithoutLogprobsIsRefusedNamingTheStep() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let (store, _) = try Self.makeStore(dir.file("s.sqlite"), withLogprobs: false)
        #expect(throws: TrajectoryError.self) {
            try EnsembleRun.run(db: store.path, run: nil, sizes: [3], alignment: .trailing, vote: .confidence)
        }
        do {
            _ = try EnsembleRun.run(db: store.path, run: nil, sizes: [3], alignment: .trailing, vote: .confidence)
        } catch {
            #expect("\(error)".contains("step 100") && "\(error)".contains("--vote majority"))
        }
    }

    /// `kasane sweep` over a store where step 100 was evaluated with --no-logprobs: majority votes everywhere,
    /// confidence votes only at windows whose members all carry log-probs, the skipped windows named once, and the
    /// stability tables built over what was voted.
    @Test func aSweepVotesConfidenceOnlyWhereEveryMemberCarriesLogprobs() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let (store, run) = try Self.makeStore(dir.file("s.sqlite"), noLogprobsAt: [0])
        var notices: [String] = []
        try WindowSweep.vote(store: store, run: run, spanSteps: [100, 200, 300], windows: [2, 3], say: { _ in },
                             notice: { notices.append($0) })
        #expect(notices == ["no confidence vote where a member has no stored log-probs (evaluated with --no-logprobs):"
                            + " n=2 at step 200; n=3 at step 300"])
        let ensembles = try store.models(run: run.id, kind: .ensemble)
        func steps(_ n: Int, _ vote: EnsembleVote) -> [Int] {
            ensembles.filter { $0.spec.window == n && $0.spec.weights == vote.weightsLabel }.map(\.step).sorted()
        }
        #expect(steps(2, .majority) == [200, 300] && steps(3, .majority) == [300])
        #expect(steps(2, .confidence) == [300] && steps(3, .confidence).isEmpty)
        let stability = try StabilityRunner.run(store: store, request: StabilityRequest(
            run: run.name, span: .steps(100...300), windows: [1, 2, 3], alignment: .trailing, windowsInsideSpan: true),
            scorer: nil)
        #expect(stability.confidenceEnsembles[2]?.steps == [300] && stability.ensembles[2]?.steps == [200, 300])
    }
}
