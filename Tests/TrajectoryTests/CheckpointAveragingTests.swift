import Evaluation
import Foundation
import SafeTensors
import Testing
@testable import Trajectory

@Suite struct CheckpointAveragingTests {
    let fixture: AveragingFixture
    let inputs: [Checkpoint]

    init() throws {
        fixture = try AveragingFixture.load()
        inputs = fixture.steps.map {
            Checkpoint(step: $0, path: FixturePaths.averaging.appendingPathComponent("run/checkpoint-\($0)").path)
        }
    }

    @Test func writtenCheckpointsMatchTheExactAverages() throws {
        let tmp = try TempDir("kasane-avg"); defer { tmp.cleanup() }
        let out = URL(fileURLWithPath: tmp.file("out"))
        // As `kasane average` makes it: from the run folder.
        let run = FixturePaths.averaging.appendingPathComponent("run").path
        let averaging = try CheckpointAveraging(run: run, window: CheckpointWindow(size: 3))
        #expect(averaging.checkpoints.map(\.step) == inputs.map(\.step))
        let written = try averaging.write(at: nil, output: out.path)
        let folders = written.folders
        #expect(folders.map { ($0 as NSString).lastPathComponent } == ["checkpoint-30", "checkpoint-40", "checkpoint-50"])
        #expect(written.statistics.readsPerCheckpoint.values.allSatisfy { $0 <= 2 * fixture.shapes.count })
        #expect(Array(written.lines.dropLast()) == folders && written.lines.last?.hasPrefix("3 model(s) in ") == true)
        for folder in folders {
            let step = Int((folder as NSString).lastPathComponent.dropFirst("checkpoint-".count)) ?? -1
            let expected = try #require(fixture.cases.first {
                $0.window == 3 && $0.align == "trailing" && $0.weights == "uniform" && $0.step == step })
            let store = try WeightStore(directory: folder)
            #expect(store.tensorNames == fixture.shapes.keys.sorted())
            for name in store.tensorNames {
                #expect(try store.info(name).dtype == .bf16)
                let bits = try store.floats(name).map { UInt16($0.bitPattern >> 16) }
                #expect(bits == expected.bf16_bits[name], "step \(step) \(name)")
            }
            // Side files copied, the recipe recorded.
            for file in ["config.json", "tokenizer_config.json", "kasane_average.json"] {
                #expect(FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(file)))
            }
            let description = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: folder + "/kasane_average.json"))) as? [String: Any]
            #expect(description?["members"] as? [Int] == expected.members)
        }
    }

    @Test func f32OutputAndInMemoryAverageAgreeWithTheFixture() throws {
        let tmp = try TempDir("kasane-avg"); defer { tmp.cleanup() }
        let out = URL(fileURLWithPath: tmp.file("out"))
        let averaging = CheckpointAveraging(checkpoints: inputs, window: CheckpointWindow(size: 2, alignment: .centred),
                                            dtype: .f32)
        let folders = try averaging.write(at: [40], output: out.path).folders
        let expected = try #require(fixture.cases.first {
            $0.window == 2 && $0.align == "centred" && $0.weights == "uniform" && $0.step == 40 })
        let store = try WeightStore(directory: try #require(folders.first))
        let config = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folders[0] + "/config.json"))) as? [String: Any]
        #expect(config?["torch_dtype"] as? String == "float32")
        let memory = try averaging.weights(at: 40)
        #expect(memory.job.members == 0..<2 && memory.job.step == 40)
        for name in store.tensorNames {
            #expect(try store.floats(name).map(\.bitPattern) == expected.f32_bits[name])
            #expect(try memory.floats(name).map(\.bitPattern) == expected.f32_bits[name])
        }
        // In memory, a bf16 model is rounded exactly as on disk.
        let bf16 = try CheckpointAveraging(checkpoints: inputs, window: CheckpointWindow(size: 3)).weights(at: 50)
        let expected3 = try #require(fixture.cases.first {
            $0.window == 3 && $0.align == "trailing" && $0.weights == "uniform" && $0.step == 50 })
        #expect(bf16.tensorNames == fixture.shapes.keys.sorted())
        for name in bf16.tensorNames {
            let values = try bf16.floats(name)
            #expect(values.map { UInt16($0.bitPattern >> 16) } == expected3.bf16_bits[name])
            #expect(values.allSatisfy { $0.bitPattern & 0xFFFF == 0 })
        }
    }

    @Test func configMismatchNamesTheField() throws {
        let tmp = try TempDir("kasane-avg"); defer { tmp.cleanup() }
        let run = URL(fileURLWithPath: tmp.file("run"))
        var copies: [Checkpoint] = []
        for input in inputs {
            let dest = run.appendingPathComponent("checkpoint-\(input.step)")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: input.path, toPath: dest.path)
            copies.append(Checkpoint(step: input.step, path: dest.path))
        }
        let configPath = copies[3].path + "/config.json"
        var config = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: configPath))) as? [String: Any])
        config["rope_theta"] = 500000.0
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let averaging = CheckpointAveraging(checkpoints: copies, window: CheckpointWindow(size: 3))
        let error = try #require(throws: TrajectoryError.self) {
            try averaging.write(at: [50], output: run.appendingPathComponent("out").path)
        }
        #expect(error.description.contains("rope_theta") && error.description.contains("checkpoint-40"))
        // A window that leaves checkpoint 40 out is fine.
        #expect(try averaging.write(at: [30], output: run.appendingPathComponent("out").path).folders.count == 1)
    }
}

/// The record written by tools/check_averaged_checkpoints.py: `kasane average` output loaded in Python.
@Suite struct PythonLoadRecordTests {
    struct Record: Decodable {
        struct Check: Decodable {
            var safetensors_loaded: Bool
            var mismatched_tensors: [String]
            var transformers_loaded: Bool
            var transformers_weights_equal: Bool
        }
        var expected_json_sha256: String
        var checks: [Check]
    }

    @Test func averagedCheckpointsLoadedInSafetensorsAndTransformers() throws {
        let record = try JSONDecoder().decode(Record.self, from: Data(contentsOf:
            FixturePaths.averaging.appendingPathComponent("python_load_check.json")))
        // The record belongs to the current expected averages.
        let expected = try Data(contentsOf: FixturePaths.averaging.appendingPathComponent("expected.json"))
        var hasher = SHA256()
        hasher.update(expected)
        #expect(record.expected_json_sha256 == hasher.finalizeHex())
        #expect(record.checks.count == 7)
        for check in record.checks {
            #expect(check.safetensors_loaded && check.mismatched_tensors.isEmpty)
            #expect(check.transformers_loaded && check.transformers_weights_equal)
        }
    }
}
