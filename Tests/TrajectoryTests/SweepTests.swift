import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// `kasane sweep` on tiny random checkpoints and real llm-jp-eval files: raw, averaged and ensembled trajectories
/// over the span with windows inside it, stability, costs, and a rerun that does nothing again.
@Test func sweepEvaluatesAveragesVotesOnceAndCosts() throws {
    let dir = try TempDir("kasane-sweep"); defer { dir.cleanup() }
    let run = dir.file("run")
    for (k, step) in [100, 200, 300, 400].enumerated() {
        try TinyCheckpoints.write((run as NSString).appendingPathComponent("checkpoint-\(step)"), seed: UInt64(k + 1))
    }
    var eval = EvalOptions()
    eval.datasets = ["jamp", "jcommonsenseqa"]
    eval.maxSamples = 4
    eval.shots = 2
    eval.batchSize = 2
    let db = dir.file("r.sqlite")
    let setup = EvaluationSetup(evalsets: TinyCheckpoints.evalsets, evalOptions: eval, tokenizer: TinyCheckpoints.tokenizer)
    let request = SweepRequest(checkpoints: run, setup: setup, db: db, windows: [2, 3],
                               steps: StepRange(lower: 200, upper: 400),
                               options: StabilityOptions(bootstrapResamples: 50))
    let first = try WindowSweep.run(request)
    let rows = first.stability.sweep.map { "\($0.shortName)\($0.window):\($0.summary.steps)" }
    // Windows inside the span 200–400: n=2 at 300 and 400, n=3 only at 400 (one position, so no MTV row). The
    // predictions carry log-probs, so confidence-voted ensembles stand beside the majority ones.
    #expect(rows == ["raw1:[200, 300, 400]", "raw2:[300, 400]", "average2:[300, 400]", "ensemble2:[300, 400]",
                     "ensemble-confidence2:[300, 400]"])
    #expect(StabilityExport.csv(first.stability.sweep).contains("\nensemble,2,trailing,confidence,average,AVG,"))
    #expect(StabilityExport.text(first.stability.sweep).contains("ensemble-confidence"))
    #expect(first.costs.contains { $0.vote == .confidence && $0.positions == 2 && $0.forwardPasses == 0 })

    let store = try ResultStore(path: db, readOnly: true)
    let stored = try store.models(run: first.stability.run.id)
    #expect(stored.filter { $0.kind == .raw }.map(\.step).sorted() == [200, 300, 400])  // 100 is outside the span
    #expect(stored.filter { $0.kind == .average && $0.spec.window == 2 }.map(\.spec.members).sorted { $0[0] < $1[0] }
            == [[200, 300], [300, 400]])
    #expect(stored.filter { $0.kind == .average && $0.spec.window == 3 }.map(\.spec.members) == [[200, 300, 400]])
    for vote in EnsembleVote.allCases {
        #expect(stored.filter { $0.kind == .ensemble && $0.spec.window == 2 && $0.spec.weights == vote.weightsLabel }
                .count == 2)
    }

    let costs = Dictionary(first.costs.map { ("\($0.method.rawValue)\($0.window)", $0) }, uniquingKeysWith: { a, _ in a })
    #expect(costs["raw1"]?.positions == 3 && (costs["raw1"]?.forwardPasses ?? 0) >= 3 * 8)
    #expect(costs["average2"]?.positions == 2 && (costs["average2"]?.forwardPasses ?? 0) >= 2 * 8)
    #expect(costs["ensemble2"]?.forwardPasses == 0 && costs["ensemble2"]?.memberForwardPasses == costs["raw1"]?.forwardPasses)
    let allMeasured = first.costs.allSatisfy(\.measured)
    #expect(allMeasured)   // every model was evaluated by the engine, which counted
    // The engine's counts against what the store recorded on its own: the prompt tokens of every stored example are
    // computed or taken from the prefix cache; each sequence feeds back all its generated tokens but the last, so the
    // passes (a prefill per example plus one per decode step) equal the generated tokens; the log-probs feed every
    // gold token but the first (scored from the prefill).
    for model in stored where model.kind == .raw {
        let measured = try #require(try store.cost(model: model.id)?.measured)
        let q = try #require(try store.connection.query(
            "SELECT sum(prompt_tokens), sum(max(gold_tokens - 1, 0)) FROM predictions WHERE model_id = ?",
            [SQLValue(model.id)]).first)
        #expect(measured.prefillTokens + measured.reusedPrefixTokens == q[0].int && measured.reusedPrefixTokens > 0)
        #expect(measured.scoredTokens == q[1].int && measured.scoredTokens > 0)
        #expect(measured.forwardPasses == (try store.timing(model: model.id)).generatedTokens)
    }
    #expect(!StabilityExport.costText(first.costs).contains("≈"))
    #if os(Linux)
    #expect((costs["raw1"]?.peakBytes ?? 0) > 1_000_000)
    #endif
    #expect(first.stability.sweep.first { $0.method == .average }?.levelStatistics?["NLI"] != nil)
    #expect(first.text.hasPrefix("\nmethod ") && first.text.hasSuffix("\n\n" + StabilityExport.costText(first.costs)))
    let pages = try first.writeReport(to: dir.file("report"))
    #expect(pages.map { ($0 as NSString).lastPathComponent } == ["report.md", "report.html"])

    func counts() throws -> [Int] {
        try ["timings", "model_costs", "models", "predictions"].map {
            try store.connection.query("SELECT count(*) FROM \($0)").first?.first?.int ?? -1
        }
    }
    let before = try counts()
    let again = try WindowSweep.run(request)
    #expect(try counts() == before)  // nothing evaluated, averaged or voted again
    #expect(again.stability.sweep.map { "\($0.shortName)\($0.window):\($0.summary.steps)" } == rows)
}

/// Neither `--steps` nor `--last-fraction`: the sweep's span is the run's last fifth (2 of 10 checkpoints here),
/// announced before anything is evaluated (the missing evalsets stop it right after).
@Test func sweepSpanDefaultsToTheLastFifth() throws {
    let dir = try TempDir("kasane-sweep"); defer { dir.cleanup() }
    for step in stride(from: 100, through: 1000, by: 100) { try writeFakeCheckpoint(dir.file("run/checkpoint-\(step)")) }
    let request = SweepRequest(checkpoints: dir.file("run"), setup: EvaluationSetup(evalsets: dir.file("no-evalsets")),
                               db: dir.file("r.sqlite"), windows: [2])
    var said: [String] = []
    #expect(throws: (any Error).self) { try WindowSweep.run(request) { said.append($0) } }
    #expect(said == ["raw checkpoints: steps 900–1000 (2)"])
}

/// `sweep --comet` reaches the evaluation (it was once accepted and ignored): a folder that is no COMET model stops the
/// sweep with an error naming it, before any store is written.
@Test func sweepHandsTheCometFolderToTheEvaluation() throws {
    let dir = try TempDir("kasane-sweep-comet"); defer { dir.cleanup() }
    let run = dir.file("run")
    for (k, step) in [100, 200].enumerated() {
        try TinyCheckpoints.write((run as NSString).appendingPathComponent("checkpoint-\(step)"), seed: UInt64(k + 1))
    }
    var eval = EvalOptions()
    eval.datasets = ["jamp"]
    eval.maxSamples = 2
    let notComet = dir.file("not-a-comet-model")
    try FileManager.default.createDirectory(atPath: notComet, withIntermediateDirectories: true)
    let setup = EvaluationSetup(evalsets: TinyCheckpoints.evalsets, evalOptions: eval, tokenizer: TinyCheckpoints.tokenizer,
                                comet: notComet)
    let request = SweepRequest(checkpoints: run, setup: setup, db: dir.file("r.sqlite"), windows: [2],
                               steps: StepRange(lower: 100, upper: 200))
    do {
        _ = try WindowSweep.run(request)
        Issue.record("the sweep ignored --comet")
    } catch {
        #expect("\(error)".contains("not-a-comet-model"))
    }
    #expect(!FileManager.default.fileExists(atPath: dir.file("r.sqlite")))
}
