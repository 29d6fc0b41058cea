import Foundation
import Llama
import Testing
@testable import Trajectory

@Suite struct AveragedWeightsTests {
    @Test func tensorsAveragedOnDemandMatchTheExactAverages() throws {
        let fixture = try AveragingFixture.load()
        let checkpoints = fixture.steps.map {
            Checkpoint(step: $0, path: FixturePaths.averaging.appendingPathComponent("run/checkpoint-\($0)").path)
        }
        let plan = CheckpointAveraging(checkpoints: checkpoints, window: CheckpointWindow(size: 3, alignment: .centred))
        #expect(plan.targets().map(\.step) == [20, 30, 40])
        let weights = try plan.weights(at: checkpoints[1].step)
        let expected = try #require(fixture.cases.first {
            $0.window == 3 && $0.align == "centred" && $0.weights == "uniform" && $0.step == 20 })
        for name in fixture.shapes.keys {
            #expect(try weights.info(name).dtype == .bf16)
            #expect(try weights.floats(name).map { UInt16($0.bitPattern >> 16) } == expected.bf16_bits[name])
        }
        let spec = try plan.modelSpec(for: checkpoints[1])
        #expect(spec.kind == .average && spec.members == [10, 20, 30] && spec.window == 3 && spec.align == "centred")
        #expect(spec.weights == "uniform" && !spec.fingerprint.isEmpty)
        #expect(throws: TrajectoryError.self) { try plan.modelSpec(for: checkpoints[0]) }  // no full window at 10
    }

    /// Averaging identical checkpoints gives the same model: an averaged model built through `LlamaModel(config:
    /// weights:)` must produce exactly the logits of the checkpoint loaded from its folder.
    @Test func averagedModelLoadsInLlamaModel() throws {
        let source = FixturePaths.testsDir.deletingLastPathComponent()
            .appendingPathComponent("LlamaTests/Fixtures/gqa-bf16-tied-5x")
        let tmp = try TempDir("kasane-avgw"); defer { tmp.cleanup() }
        let run = URL(fileURLWithPath: tmp.file("run"))
        var checkpoints: [Checkpoint] = []
        for step in [1, 2, 3] {
            let folder = run.appendingPathComponent("checkpoint-\(step)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in ["config.json", "model.safetensors"] {
                try FileManager.default.copyItem(at: source.appendingPathComponent(file),
                                                 to: folder.appendingPathComponent(file))
            }
            checkpoints.append(Checkpoint(step: step, path: folder.path))
        }
        let plan = CheckpointAveraging(checkpoints: checkpoints, window: CheckpointWindow(size: 3))
        let averaged = try LlamaModel(config: try LlamaConfig.load(path: checkpoints[2].path),
                                      weights: try plan.weights(at: checkpoints[2].step))
        let reference = try LlamaModel(directory: source.path)
        let tokens = [1, 7, 3, 9, 4]
        #expect(try averaged.logits(tokens: tokens) == reference.logits(tokens: tokens))
    }
}
