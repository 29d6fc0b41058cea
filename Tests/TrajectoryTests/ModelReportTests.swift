import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// `eval --model --output`'s files, read back from the store: every record once with its re-rendered prompt, and
/// scores that the written predictions reproduce.
@Test func modelReportFilesRoundTrip() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    try writeFakeCheckpoint(dir.file("ckpts/checkpoint-100"), seed: 1)
    let checkpoints = try CheckpointIndex(path: dir.file("ckpts")).checkpoints
    let store = try ResultStore(path: dir.file("r.sqlite"))
    let models = SyntheticModels()
    let summary = try models.runner(store).run(checkpoints)
    let model = try #require(summary.models.first)
    let metadata = RunMetadata(kasaneVersion: "test", modelPath: model.spec.path, modelFingerprint: model.spec.fingerprint,
                               evalsetsRoot: "r", options: models.options)
    let report = try ModelReport(store: store, model: model, datasets: models.suite, metadata: metadata)
    try report.write(to: dir.file("out"))

    let lines = try String(contentsOfFile: dir.file("out/predictions.jsonl"), encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 12)
    var byDataset: [String: [(String, String)]] = [:]
    for line in lines {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        for key in ["dataset", "category", "index", "prompt", "prompt_tokens", "generated", "prediction", "gold"] {
            #expect(o[key] != nil, "missing \(key)")
        }
        let name = o["dataset"] as? String ?? ""
        let stored = try #require(try store.predictions(model: model.id, dataset: store.datasets(run: 1)
            .first { $0.name == name }!.id).first { $0.index == o["index"] as? Int })
        #expect(SHA256.hex(o["prompt"] as? String ?? "") == stored.promptHash)
        byDataset[name, default: []].append((o["prediction"] as? String ?? "", o["gold"] as? String ?? ""))
    }
    let scores = try #require(try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: dir.file("out/scores.json")))) as? [String: Any])
    let written = try #require(scores["datasets"] as? [String: [String: Any]])
    for d in models.suite {
        let rows = byDataset[d.name] ?? []
        let s = try Scoring.score(dataset: d.name, metrics: d.metrics, predictions: rows.map(\.0), golds: rows.map(\.1))
        #expect((written[d.name]?["metrics"] as? [String: Double])?["exact_match"] == s.metrics["exact_match"])
    }
    #expect((scores["metadata"] as? [String: Any])?["kasane_version"] as? String == "test")
    #expect(report.summary.contains("AVG"))
}
