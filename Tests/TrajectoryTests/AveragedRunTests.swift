import Foundation
import Testing
@testable import Trajectory

/// `eval --average-window`'s path through the runner: averaged models are stored as their own rows, tagged with the
/// window, and read back as a trajectory the stability sweep compares with raw.
@Test func averagedModelsAreStoredAsTheirOwnTrajectory() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    for step in [100, 200, 300, 400] { try writeFakeCheckpoint(dir.file("ckpts/checkpoint-\(step)"), seed: Float(step)) }
    let checkpoints = try CheckpointIndex(path: dir.file("ckpts")).checkpoints
    let store = try ResultStore(path: dir.file("r.sqlite"))
    let settings = StoreSettings(["shots": "4"])
    _ = try SyntheticModels().runner(store, settings: settings).run(checkpoints)

    let plan = CheckpointAveraging(checkpoints: checkpoints, window: CheckpointWindow(size: 2))
    let backend = SyntheticModels()
    _ = try backend.runner(store, settings: settings, variant: { try plan.modelSpec(for: $0) }).run(plan.targets())
    #expect(backend.loads == [200, 300, 400])
    let run = try store.run(named: "run")
    let averaged = try store.models(run: run.id, kind: .average)
    #expect(averaged.map(\.step) == [200, 300, 400])
    #expect(averaged.map(\.spec.members) == [[100, 200], [200, 300], [300, 400]])
    #expect(averaged.allSatisfy { $0.spec.window == 2 && $0.spec.align == "trailing" && $0.spec.weights == "uniform" })
    #expect(try store.models(run: run.id, kind: .raw).count == 4)  // raw rows untouched

    let variants = try StoreTrajectoryLoader.variants(store: store, run: run.id)
    #expect(variants == [.init(kind: .average, window: 2, align: "trailing", weights: "uniform")])
    let result = try StabilityRunner.run(store: store, request: StabilityRequest(span: .all, windows: [2]), scorer: nil)
    let rows = result.sweep.map { "\($0.method.rawValue)\($0.window):\($0.summary.steps)" }
    #expect(rows == ["raw2:[200, 300, 400]", "average2:[200, 300, 400]"])
}
