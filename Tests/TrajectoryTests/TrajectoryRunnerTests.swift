import Evaluation
import Foundation
import Testing
@testable import Trajectory

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

@Test func interruptedRunResumesToTheSameRows() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let checkpoints = try makeRun(dir, steps: [100, 200, 300])

    let reference = try ResultStore(path: dir.file("reference.sqlite"))
    let full = SyntheticModels()
    _ = try full.runner(reference).run(checkpoints)
    #expect(full.examplesGenerated == 3 * 12)

    let store = try ResultStore(path: dir.file("resumed.sqlite"))
    let crashing = SyntheticModels(crashAfterBatches: 5)   // dies inside the second checkpoint
    #expect(throws: SyntheticModels.Crash.self) { try crashing.runner(store).run(checkpoints) }
    #expect(try dumpRun(store).count < (try dumpRun(reference)).count)
    let resumed = SyntheticModels()
    let summary = try resumed.runner(store).run(checkpoints)
    // Only what was missing is generated again, and the first checkpoint is not even loaded.
    #expect(resumed.examplesGenerated == 3 * 12 - crashing.examplesGenerated)
    #expect(summary.skippedExamples == crashing.examplesGenerated)
    #expect(resumed.loads == [200, 300])
    #expect(try dumpRun(store) == (try dumpRun(reference)))

    // A third run has nothing to do.
    let idle = SyntheticModels()
    _ = try idle.runner(store).run(checkpoints)
    #expect(idle.examplesGenerated == 0 && idle.loads.isEmpty)
}

@Test func progressLinesCountAndEstimate() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let checkpoints = try makeRun(dir, steps: [1, 2])
    let store = try ResultStore(path: dir.file("r.sqlite"))
    var lines: [CheckpointProgress] = []
    let logPath = dir.file("run.log")
    _ = try SyntheticModels().runner(store, settings: StoreSettings([:]), log: logPath,
                                     events: TrajectoryEvents(checkpoint: { lines.append($0) })).run(checkpoints)
    #expect(lines.map(\.position) == [1, 2])
    // Tokens are the stored prompts' tokens plus 3 generated per example ("A\n\n", stopped at the blank line).
    let run = try store.run(named: "run")
    let promptTokens = try store.datasets(run: run.id).flatMap { try store.predictions(model: 1, dataset: $0.id) }
        .reduce(0) { $0 + $1.promptTokens }
    #expect(lines.allSatisfy { $0.total == 2 && $0.examples == 12 && $0.newExamples == 12 && $0.tokens == promptTokens + 36 })
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
    _ = try SyntheticModels().runner(store, verify: true).run(checkpoints)
    let before = try store.models(run: 1)
    #expect(before.allSatisfy { $0.spec.contentSHA256.count == 64 })

    // Retrained in place: same shapes and sizes, different weights.
    try writeFakeCheckpoint(checkpoints[1].path, seed: 999)
    var notices: [String] = []
    let again = SyntheticModels()
    _ = try again.runner(store, events: TrajectoryEvents(notice: { notices.append($0) })).run(checkpoints)
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
    let backend = SyntheticModels()
    #expect(throws: TrajectoryError.self) { try backend.runner(store).run(checkpoints) }
    #expect(backend.loads.isEmpty)
    #expect(try store.runs().isEmpty)
}
