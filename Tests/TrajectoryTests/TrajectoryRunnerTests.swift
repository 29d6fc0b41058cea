import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// Deterministic stand-in for the evaluation layer: the answer depends on (step, dataset, example).
final class SyntheticBackend: TrajectoryBackend {
    struct Crash: Error {}
    let datasets: [TrajectoryDataset]
    let batchSize: Int
    var crashAfterBatches: Int?
    private(set) var batchesWritten = 0
    private(set) var examplesGenerated = 0
    private(set) var loads: [Int] = []
    private var step: Int?

    init(sizes: [String: Int] = ["jnli": 7, "jsquad": 5], batchSize: Int = 3, crashAfterBatches: Int? = nil) {
        datasets = sizes.keys.sorted().map { name in
            TrajectoryDataset(spec: DatasetSpec(name: name, contentHash: "hash-\(name)", category: name == "jnli" ? "NLI" : "RC",
                                                metrics: ["exact_match"], inputs: (0..<sizes[name]!).map { "入力\($0)" }),
                              exampleCount: sizes[name]!)
        }
        self.batchSize = batchSize
        self.crashAfterBatches = crashAfterBatches
    }

    func load(_ checkpoint: Checkpoint) throws { step = checkpoint.step; loads.append(checkpoint.step) }
    func unload() { step = nil }

    func evaluate(dataset: Int, skip: Set<Int>, onBatch: (TrajectoryBatch) throws -> Void) throws {
        guard let step else { throw TrajectoryError.selection("no model loaded") }
        let name = datasets[dataset].spec.name
        let todo = (0..<datasets[dataset].exampleCount).filter { !skip.contains($0) }
        for start in stride(from: 0, to: todo.count, by: batchSize) {
            if let limit = crashAfterBatches, batchesWritten >= limit { throw Crash() }
            let batch = todo[start..<min(todo.count, start + batchSize)].map { i in
                let answer = (step / 100 + i) % 2 == 0 ? "A" : "B"
                return StoredPrediction(index: i, promptHash: SHA256.hex("\(name)\(i)"), promptTokens: 10 + i,
                                        generated: answer + "\n\nrest", prediction: answer, gold: "A",
                                        metrics: ["exact_match": answer == "A" ? 1 : 0])
            }
            examplesGenerated += batch.count
            try onBatch(TrajectoryBatch(predictions: batch, generatedTokens: batch.count * 2))
            batchesWritten += 1
        }
    }

    func score(dataset: Int, predictions: [StoredPrediction]) throws -> StoredScore {
        let mean = predictions.map { $0.metrics["exact_match"] ?? 0 }.reduce(0, +) / Double(max(1, predictions.count))
        let spec = datasets[dataset].spec
        return StoredScore(dataset: spec.name, category: spec.category, metrics: ["exact_match": mean],
                           mainMetric: "exact_match", main: mean, examples: predictions.count)
    }

    func aggregate(_ scores: [StoredScore]) -> [String: Double] {
        var result: [String: Double] = [:]
        for s in scores { result[s.category ?? "?"] = s.main }
        result["AVG"] = result.values.reduce(0, +) / Double(max(1, result.count))
        return result
    }
}

/// Every stored row of the run's current models, keyed by step, for comparing two stores.
func dumpRun(_ store: ResultStore) throws -> [String] {
    let run = try store.run(named: nil)
    var lines: [String] = []
    for model in try store.models(run: run.id) {
        for dataset in try store.datasets(run: run.id) {
            for p in try store.predictions(model: model.id, dataset: dataset.id) {
                lines.append("\(model.step) \(dataset.name) \(p.index) \(p.promptHash) \(p.promptTokens) \(p.generated)"
                             + " \(p.prediction) \(p.gold) \(MetricsJSON.encode(p.metrics))")
            }
        }
        for s in try store.scores(model: model.id) { lines.append("\(model.step) score \(s)") }
        lines.append("\(model.step) aggregates \(try store.aggregates(model: model.id).sorted { $0.key < $1.key })")
    }
    return lines
}

private func makeRun(_ dir: TempDir, steps: [Int]) throws -> [Checkpoint] {
    for step in steps { try writeFakeCheckpoint(dir.file("ckpts/checkpoint-\(step)"), seed: Float(step)) }
    return try CheckpointIndex(path: dir.file("ckpts")).checkpoints
}

private func runner(_ store: ResultStore, _ backend: SyntheticBackend, verify: Bool = false,
                    notices: ((String) -> Void)? = nil) throws -> TrajectoryRunner {
    TrajectoryRunner(store: store, backend: backend,
                     options: .init(runName: "run", source: "ckpts", settings: StoreSettings(["shots": "4"]), verify: verify),
                     log: try RunLog(path: nil), progress: { _ in }, notice: notices ?? { _ in })
}

@Test func interruptedRunResumesToTheSameRows() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let checkpoints = try makeRun(dir, steps: [100, 200, 300])

    let reference = try ResultStore(path: dir.file("reference.sqlite"))
    let full = SyntheticBackend()
    _ = try runner(reference, full).run(checkpoints)
    #expect(full.examplesGenerated == 3 * 12)

    let store = try ResultStore(path: dir.file("resumed.sqlite"))
    let crashing = SyntheticBackend(crashAfterBatches: 5)   // dies inside the second checkpoint
    #expect(throws: SyntheticBackend.Crash.self) { try runner(store, crashing).run(checkpoints) }
    #expect(try dumpRun(store).count < (try dumpRun(reference)).count)
    let resumed = SyntheticBackend()
    let summary = try runner(store, resumed).run(checkpoints)
    // Only what was missing is generated again, and the first checkpoint is not even loaded.
    #expect(resumed.examplesGenerated == 3 * 12 - crashing.examplesGenerated)
    #expect(summary.skippedExamples == crashing.examplesGenerated)
    #expect(resumed.loads == [200, 300])
    #expect(try dumpRun(store) == (try dumpRun(reference)))

    // A third run has nothing to do.
    let idle = SyntheticBackend()
    _ = try runner(store, idle).run(checkpoints)
    #expect(idle.examplesGenerated == 0 && idle.loads.isEmpty)
}

@Test func progressLinesCountAndEstimate() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let checkpoints = try makeRun(dir, steps: [1, 2])
    let store = try ResultStore(path: dir.file("r.sqlite"))
    var lines: [CheckpointProgress] = []
    let logPath = dir.file("run.log")
    _ = try TrajectoryRunner(store: store, backend: SyntheticBackend(),
                             options: .init(runName: "run", source: "x", settings: StoreSettings([:])),
                             log: try RunLog(path: logPath), progress: { lines.append($0) }).run(checkpoints)
    #expect(lines.map(\.position) == [1, 2])
    // Synthetic prompts: 10 + i tokens for example i (7 + 5 examples), 2 generated tokens each.
    let promptTokens = (0..<7).reduce(0) { $0 + 10 + $1 } + (0..<5).reduce(0) { $0 + 10 + $1 }
    #expect(lines.allSatisfy { $0.total == 2 && $0.examples == 12 && $0.newExamples == 12 && $0.tokens == promptTokens + 24 })
    #expect(lines[0].etaSeconds != nil && lines[1].etaSeconds == nil)
    #expect(lines[0].line.hasPrefix("[1/2] checkpoint-1 (step 1): 12 samples (12 new)"))
    let log = try String(contentsOfFile: logPath, encoding: .utf8)
    #expect(log.contains("step=2 dataset=jsquad new=5"))
    #expect(log.contains("step=1 done examples=12"))
}

@Test func changedCheckpointIsEvaluatedAgainAndOldResultsKept() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let checkpoints = try makeRun(dir, steps: [100, 200])
    let store = try ResultStore(path: dir.file("r.sqlite"))
    _ = try runner(store, SyntheticBackend(), verify: true).run(checkpoints)
    let before = try store.models(run: 1)
    #expect(before.allSatisfy { $0.spec.contentSHA256.count == 64 })

    // Retrained in place: same shapes and sizes, different weights.
    try writeFakeCheckpoint(checkpoints[1].path, seed: 999)
    var notices: [String] = []
    let again = SyntheticBackend()
    _ = try runner(store, again, notices: { notices.append($0) }).run(checkpoints)
    #expect(again.loads == [200])
    #expect(notices.count == 1 && notices[0].contains("checkpoint-200 changed"))
    #expect(try store.models(run: 1).count == 2)
    #expect(try store.models(run: 1, includeStale: true).count == 3)
}

@Test func configMismatchStopsBeforeAnythingIsWritten() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    var checkpoints = try makeRun(dir, steps: [100, 200])
    try writeFakeCheckpoint(dir.file("ckpts/checkpoint-300"), hidden: 32)
    checkpoints = try CheckpointIndex(path: dir.file("ckpts")).checkpoints
    let store = try ResultStore(path: dir.file("r.sqlite"))
    let backend = SyntheticBackend()
    #expect(throws: TrajectoryError.self) { try runner(store, backend).run(checkpoints) }
    #expect(backend.loads.isEmpty)
    #expect(try store.runs().isEmpty)
}
