import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// Answers "原文i" with sentence i of a fixed list (step 10) or with the gold for even i (other steps), then a blank
/// line: deterministic predictions whose BLEU is known from sacrebleu.
private final class ListGenerator: ScalarTokenGenerator {
    let answers: [String]
    init(answers: [String]) { self.answers = answers }
    func generate(prompts: [[Int]], maxNewTokens: Int, prefix: [Int]?,
                  shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] {
        prompts.map { prompt in
            let text = ScalarText.decode(prompt)
            let digits = text.components(separatedBy: "原文").last?.prefix { $0.isNumber } ?? ""
            let i = Int(digits) ?? 0
            return Array(ScalarText.encode(answers[i % answers.count] + "\n\nmore").prefix(maxNewTokens))
        }
    }
}

/// Test tokenization for a generator: one token per Unicode scalar, no prefix work.
protocol ScalarTokenGenerator: TextGenerator {}
extension ScalarTokenGenerator {
    func encode(_ text: String, addBOS: Bool) throws -> [Int] { ScalarText.encode(text) }
    func decode(_ ids: [Int]) throws -> String { ScalarText.decode(ids) }
    func makePrefix(tokens: [Int]) throws -> [Int] { tokens }
}

/// A run over an MT dataset (bleu_en + the model-based metrics), a char_f1 and an exact_match dataset, evaluated
/// under a BLEU mode into a store. Sentences: Fixtures/bleu.json of the evaluation tests (sacrebleu 2.6 values).
struct MTRun {
    let preds: [String], golds: [String]
    let corpusBleu: Double, compatMean: Double
    let root: String
    let suite: [EvalDataset]

    init(dir: TempDir) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Repo.root + "/Tests/EvaluationTests/Fixtures/bleu.json"))
        let corpus = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["corpus_en"] as? [String: Any] ?? [:]
        preds = corpus["preds"] as? [String] ?? []; golds = corpus["golds"] as? [String] ?? []
        corpusBleu = corpus["bleu_en"] as? Double ?? .nan; compatMean = corpus["compat_mean"] as? Double ?? .nan
        root = dir.file("evalsets")
        let folder = root + "/evaluation/dev"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files: [(String, [String], [(String, String)])] = [
            ("alt-j-to-e", ["bleu_en", "bert_score_en_f1", "comet_wmt22"], golds.enumerated().map { ("原文\($0.offset)", $0.element) }),
            ("jsquad", ["char_f1"], (0..<6).map { ("原文\($0)", ["東京", "Goodbye world", "abcdef"][$0 % 3]) }),
            ("jamp", ["exact_match"], (0..<6).map { ("原文\($0)", $0 % 2 == 0 ? "Hello world" : "x") }),
        ]
        for (name, metrics, samples) in files {
            let object: [String: Any] = ["instruction": "翻訳してください。", "output_length": 100, "metrics": metrics,
                                         "few_shots": [Any](), "samples": samples.map { ["input": $0.0, "output": $0.1] }]
            try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: folder + "/\(name).json"))
        }
        var options = EvalOptions()
        options.shots = 0
        suite = try loadEvalSuite(root: root, options: options)
    }

    func options(_ bleu: BleuMode) -> EvalOptions {
        var o = EvalOptions(); o.shots = 0; o.batchSize = 4; o.bleu = bleu
        return o
    }

    /// Evaluates two checkpoints (steps 10 and 20) into a new store.
    func evaluate(_ bleu: BleuMode, into path: String, checkpoints dir: TempDir,
                  segmentScorer: (any SegmentScorer)? = nil, comet: String? = nil,
                  notice: @escaping (String) -> Void = { _ in }) throws -> ResultStore {
        for step in [10, 20] where !FileManager.default.fileExists(atPath: dir.file("ckpt/step\(step)")) {
            try writeFakeCheckpoint(dir.file("ckpt/step\(step)"), seed: Float(step))
        }
        let store = try ResultStore(path: path)
        let o = options(bleu)
        let other = golds.enumerated().map { $0.offset % 2 == 0 ? $0.element : preds[$0.offset] }
        let runner = TrajectoryRunner(store: store, suite: suite, evalOptions: o,
                                      options: .init(runName: "run", source: "ckpt",
                                                     settings: RunKeys.settings(o, tokenizerSHA256: "t", comet: comet)),
                                      log: try RunLog(path: nil), events: TrajectoryEvents(notice: notice),
                                      segmentScorer: segmentScorer) { checkpoint in
            ListGenerator(answers: checkpoint.step == 10 ? preds : other)
        }
        _ = try runner.run(try CheckpointIndex(path: dir.file("ckpt")).checkpoints)
        return store
    }
}

/// Everything stored for a run, keyed by step: scores, per-example metrics and aggregates.
private func snapshot(_ store: ResultStore) throws -> [String: String] {
    let run = try store.run(named: "run")
    var out: [String: String] = [:]
    for model in try store.models(run: run.id) {
        for s in try store.scores(model: model.id) { out["\(model.step) \(s.dataset)"] = "\(s)" }
        for d in try store.datasets(run: run.id) {
            out["\(model.step) \(d.name) rows"] = try store.predictions(model: model.id, dataset: d.id)
                .map { "\($0.index) \($0.prediction) \(MetricsJSON.encode($0.metrics))" }.joined(separator: "|")
        }
        out["\(model.step) aggregates"] = MetricsJSON.encode(try store.aggregates(model: model.id))
    }
    return out
}

@Suite struct RescoreTests {
    @Test func rescoringWithTheOtherBleuModeEqualsAFreshEvaluationUnderIt() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let store = try mt.evaluate(.sacrebleu, into: dir.file("a.sqlite"), checkpoints: dir)
        let fresh = try mt.evaluate(.llmJpEvalCompat, into: dir.file("b.sqlite"), checkpoints: dir)
        let run = try store.run(named: "run")
        // The sacrebleu run's BLEU is sacrebleu's corpus BLEU of these sentences; the compat run's, v1.4.1's mean.
        let step10 = try #require(try store.models(run: run.id).first { $0.step == 10 })
        let mtScore = try #require(try store.scores(model: step10.id).first { $0.dataset == "alt-j-to-e" })
        #expect(abs((mtScore.metrics["bleu_en"] ?? .nan) - mt.corpusBleu) < 1e-9)
        let freshRun = try fresh.run(named: "run")
        let fresh10 = try #require(try fresh.models(run: freshRun.id).first { $0.step == 10 })
        let freshScore = try #require(try fresh.scores(model: fresh10.id).first { $0.dataset == "alt-j-to-e" })
        #expect(abs((freshScore.metrics["bleu_en"] ?? .nan) - mt.compatMean) < 1e-9)

        let before = try snapshot(store)
        let summary = try StoreRescoring.rescore(store: store, run: nil, bleu: .llmJpEvalCompat)
        #expect(summary.bleuBefore == "sacrebleu" && summary.models == 2 && summary.datasetScores == 6)
        // Only BLEU-based values moved: the MT dataset's BLEU and main value, the MT category and AVG.
        #expect(!summary.changes.isEmpty)
        for change in summary.changes {
            let bleuBased = (change.dataset == "alt-j-to-e" && ["bleu_en", "main (bleu_en)"].contains(change.metric))
                || (change.dataset.isEmpty && ["MT", "AVG"].contains(change.metric))
            #expect(bleuBased, "\(change)")
        }
        let after = try snapshot(store)
        for key in before.keys where key.contains("jsquad") || key.contains("jamp") { #expect(before[key] == after[key], "\(key)") }
        // Equal to the fresh evaluation under llm-jp-eval-compat, settings included (so eval resumes, merge agrees).
        #expect(after == (try snapshot(fresh)))
        #expect(try store.run(named: "run").settingsHash == freshRun.settingsHash)
        #expect(summary.run.settings.values["bleu"] == "llm-jp-eval-compat")
        #expect(summary.lines().first?.contains("bleu sacrebleu → llm-jp-eval-compat") == true)

        // eval under the new mode resumes into the rescored run (nothing new); merge refuses a shard of the old mode.
        _ = try mt.evaluate(.llmJpEvalCompat, into: dir.file("a.sqlite"), checkpoints: dir)
        #expect(try store.runs().count == 1 && (try snapshot(store)) == after)
        _ = try mt.evaluate(.sacrebleu, into: dir.file("old-shard.sqlite"), checkpoints: dir)
        #expect(throws: TrajectoryError.self) { try store.merge(shards: [dir.file("old-shard.sqlite")]) }
        // The fresh compat store merges in without a conflicting row: only its timings and costs are new.
        let merged = try store.merge(shards: [dir.file("b.sqlite")])
        #expect(merged.inserted.filter { $0.key != "timings" && $0.key != "model_costs" }.values.allSatisfy { $0 == 0 })

        // Rescoring again under the same mode changes nothing.
        let again = try StoreRescoring.rescore(store: store, run: nil, bleu: .llmJpEvalCompat)
        #expect(again.changes.isEmpty && again.datasetScores == 6)
        #expect(try snapshot(store) == after)
    }

    @Test func aSuppliedCometScoreSurvivesRescoringAndBecomesTheMTScore() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let store = try mt.evaluate(.sacrebleu, into: dir.file("a.sqlite"), checkpoints: dir)
        let run = try store.run(named: "run")
        let model = try #require(try store.models(run: run.id).first)
        let dataset = try #require(try store.datasets(run: run.id).first { $0.name == "alt-j-to-e" })
        var score = try #require(try store.scores(model: model.id).first { $0.dataset == "alt-j-to-e" })
        score.metrics["comet_wmt22"] = 0.8125   // as a COMET scorer would store it
        try store.setScore(score, model: model.id, dataset: dataset.id)
        _ = try StoreRescoring.rescore(store: store, run: nil, bleu: .llmJpEvalCompat)
        let rescored = try #require(try store.scores(model: model.id).first { $0.dataset == "alt-j-to-e" })
        #expect(rescored.metrics["comet_wmt22"] == 0.8125)
        #expect(rescored.mainMetric == "comet_wmt22" && rescored.main == 0.8125)
        #expect(try store.aggregates(model: model.id)["MT"] == 0.8125)
    }

    @Test func rescoringIntoSettingsAnotherRunHoldsIsRefused() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let store = try mt.evaluate(.sacrebleu, into: dir.file("a.sqlite"), checkpoints: dir)
        _ = try mt.evaluate(.llmJpEvalCompat, into: dir.file("a.sqlite"), checkpoints: dir)   // second run, same name
        let runs = try store.runs()
        #expect(runs.count == 2)
        let before = try snapshot(store)
        #expect(throws: TrajectoryError.self) { try StoreRescoring.rescore(store: store, run: "run", bleu: .sacrebleu) }
        do { _ = try StoreRescoring.rescore(store: store, run: "run", bleu: .sacrebleu) } catch {
            #expect("\(error)".contains("already has results under bleu sacrebleu (#\(runs[0].id))"))
            #expect("\(error)".contains("nothing was written"))
        }
        #expect(try snapshot(store) == before && (try store.runs()) == runs)
        do { _ = try StoreRescoring.rescore(db: dir.file("missing.sqlite"), run: nil, bleu: .sacrebleu) } catch {
            #expect("\(error)" == dir.file("missing.sqlite") + ": result store not found")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("missing.sqlite")))
    }
}
