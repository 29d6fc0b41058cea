import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// A deterministic stand-in for a model: characters are tokens; the answer depends on the checkpoint's seed and
/// the prompt, followed by a blank line (which the post-processing cuts).
private final class ScalarGenerator: TextGenerator {
    let seed: Int
    init(seed: Int) { self.seed = seed }
    func encode(_ text: String, addBOS: Bool) throws -> [Int] { ScalarText.encode(text) }
    func decode(_ ids: [Int]) throws -> String { ScalarText.decode(ids) }
    func makePrefix(tokens: [Int]) throws -> [Int] { tokens }
    func generate(prompts: [[Int]], maxNewTokens: Int, prefix: [Int]?,
                  shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] {
        prompts.map { prompt in
            let answer = ["entailment", "contradiction", "neutral"][(seed + prompt.count) % 3]
            return Array((answer + "\n\nmore").unicodeScalars.map { Int($0.value) }.prefix(maxNewTokens))
        }
    }
}

/// llm-jp-eval layout with two small datasets (dev samples, train shots).
private func writeEvalsets(_ root: String) throws {
    func write(_ split: String, _ name: String, _ metrics: [String], _ samples: [(String, String)]) throws {
        let folder = (root as NSString).appendingPathComponent("evaluation/\(split)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let object: [String: Any] = ["instruction": "前提と仮説の関係を答えてください。", "output_length": 20, "metrics": metrics,
                                     "few_shots": [Any](), "samples": samples.map { ["input": $0.0, "output": $0.1] }]
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
            .write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("\(name).json")))
    }
    let labels = ["entailment", "contradiction", "neutral"]
    for (name, metric) in [("jamp", "exact_match"), ("jsick", "exact_match")] {
        try write("dev", name, [metric], (0..<9).map { ("前提：文\($0)\n仮説：文\($0 * 7)", labels[$0 % 3]) })
        try write("train", name, [metric], (0..<4).map { ("前提：例\($0)\n仮説：例", labels[$0 % 3]) })
    }
}

@Test func evaluatorBackedRunStoresScoresAndResumes() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    try writeEvalsets(dir.file("evalsets"))
    for step in [10, 20] { try writeFakeCheckpoint(dir.file("run/step\(step)"), seed: Float(step)) }
    var options = EvalOptions()
    options.batchSize = 4
    let suite = try loadEvalSuite(root: dir.file("evalsets"), options: options)
    let checkpoints = try CheckpointIndex(path: dir.file("run")).checkpoints
    var generated = 0
    func makeRunner(_ store: ResultStore) -> TrajectoryRunner<ScalarGenerator> {
        TrajectoryRunner(store: store, suite: suite, evalOptions: options,
                         options: .init(runName: "run", source: "run",
                                        settings: RunKeys.settings(options, tokenizerSHA256: "t")),
                         log: try! RunLog(path: nil)) { checkpoint in
            generated += 1
            return ScalarGenerator(seed: checkpoint.step / 10)
        }
    }
    let store = try ResultStore(path: dir.file("r.sqlite"))
    let summary = try makeRunner(store).run(checkpoints)
    #expect(summary.evaluatedExamples == 2 * 18)
    let run = try store.run(named: "run")
    #expect(run.settings.values["shots"] == "4" && run.settings.values["strip"] == "true")
    let models = try store.models(run: run.id)
    let datasets = try store.datasets(run: run.id)
    #expect(datasets.map(\.name) == ["jamp", "jsick"] && datasets.allSatisfy { $0.plannedExamples == 9 })
    for model in models {
        for dataset in datasets {
            let rows = try store.predictions(model: model.id, dataset: dataset.id)
            #expect(rows.count == 9)
            #expect(rows.allSatisfy { $0.generated.hasSuffix("\n\nmore") && !$0.prediction.contains("\n") })
            // The stored dataset score is the mean of the stored per-example exact matches (llm-jp-eval's exact_match).
            let mean = rows.map { $0.metrics["exact_match"] ?? -1 }.reduce(0, +) / 9
            let score = try store.scores(model: model.id).first { $0.dataset == dataset.name }
            #expect(score?.main == mean && score?.mainMetric == "exact_match" && score?.category == "NLI")
        }
        let aggregates = try store.aggregates(model: model.id)
        let scores = try store.scores(model: model.id).compactMap(\.main)
        #expect(aggregates["NLI"] == scores.reduce(0, +) / 2)
        #expect(aggregates["AVG"] == aggregates["NLI"])
    }
    // Delete one checkpoint's predictions of one dataset: a rerun regenerates exactly those.
    try store.connection.execute("DELETE FROM predictions WHERE model_id = \(models[1].id) AND dataset_id = \(datasets[0].id) AND example >= 5")
    let before = try dumpRun(store)
    generated = 0
    let again = try makeRunner(store).run(checkpoints)
    #expect(again.evaluatedExamples == 4 && generated == 1)
    #expect(try dumpRun(store).count == before.count + 4)
}
