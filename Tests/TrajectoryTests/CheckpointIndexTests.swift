import Evaluation
import Foundation
import Testing
@testable import Trajectory

@Test func namingSchemesCarrySteps() {
    #expect(CheckpointNaming.parse("checkpoint-1500")! == (.huggingFace, 1500))
    #expect(CheckpointNaming.parse("iter_0001000")! == (.megatron, 1000))
    #expect(CheckpointNaming.parse("step500")! == (.step, 500))
    #expect(CheckpointNaming.parse("step-500")! == (.step, 500))
    #expect(CheckpointNaming.parse("step_7")! == (.step, 7))
    #expect(CheckpointNaming.parse("global_step20")! == (.globalStep, 20))
    for name in ["logs", "checkpoint-", "checkpoint-abc", "iter_", "step", "steps100", "checkpoint-1.5", "runs"] {
        #expect(CheckpointNaming.parse(name) == nil, "\(name)")
    }
}

@Test func discoveryOrdersByStepAndIgnoresOtherEntries() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    for name in ["checkpoint-1000", "checkpoint-200", "iter_0000050", "step-3000", "global_step2500", "logs"] {
        try FileManager.default.createDirectory(atPath: dir.file(name), withIntermediateDirectories: true)
    }
    _ = FileManager.default.createFile(atPath: dir.file("checkpoint-99"), contents: Data())  // a file, not a folder
    let index = try CheckpointIndex(path: dir.path)
    #expect(index.checkpoints.map(\.step) == [50, 200, 1000, 2500, 3000])
    #expect(index.checkpoints.map(\.position) == [0, 1, 2, 3, 4])
    #expect(index.checkpoints.map(\.name) == ["iter_0000050", "checkpoint-200", "checkpoint-1000", "global_step2500", "step-3000"])
}

@Test func discoveryErrors() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    #expect(throws: TrajectoryError.self) { try CheckpointIndex(path: dir.path) }  // empty
    #expect(throws: TrajectoryError.self) { try CheckpointIndex(path: dir.file("absent")) }
    for name in ["step100", "checkpoint-100"] {
        try FileManager.default.createDirectory(atPath: dir.file(name), withIntermediateDirectories: true)
    }
    do {
        _ = try CheckpointIndex(path: dir.path)
        Issue.record("duplicate step accepted")
    } catch { #expect("\(error)".contains("step 100 appears twice")) }
}

@Test func listFileWithRelativePathsCommentsAndSpaces() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let list = dir.file("run.txt")
    try """
    # path step
    ckpts/late one 300
    /abs/early 100   # absolute

    mid\t200
    """.write(toFile: list, atomically: true, encoding: .utf8)
    let index = try CheckpointIndex(path: list)
    #expect(index.checkpoints.map(\.step) == [100, 200, 300])
    #expect(index.checkpoints.map(\.path) == ["/abs/early", dir.file("mid"), dir.file("ckpts/late one")])
    try "a 1\nb two\n".write(toFile: list, atomically: true, encoding: .utf8)
    do {
        _ = try CheckpointIndex(path: list)
        Issue.record("bad line accepted")
    } catch { #expect("\(error)".contains("line 2")) }
}

private func run(_ steps: [Int]) -> [Checkpoint] {
    steps.enumerated().map { Checkpoint(step: $1, path: "/c/\($1)", position: $0) }
}

@Test func stepRangeSelection() throws {
    let all = run([0, 500, 1000, 1500, 2000, 2500, 3000])
    #expect(try StepRange(parsing: "1000:2500").select(all).map(\.step) == [1000, 1500, 2000, 2500])
    #expect(try StepRange(parsing: "1000:").select(all).map(\.step) == [1000, 1500, 2000, 2500, 3000])
    #expect(try StepRange(parsing: ":1000").select(all).map(\.step) == [0, 500, 1000])
    #expect(try StepRange(parsing: "500:3000:1000").select(all).map(\.step) == [500, 1500, 2500])
    #expect(try StepRange(parsing: "::1000").select(all).map(\.step) == [0, 1000, 2000, 3000])
    for bad in ["100", "a:b", "5:1", "1:2:0", "1:2:3:4", "-1:5"] {
        #expect(throws: TrajectoryError.self, "\(bad)") { try StepRange(parsing: bad) }
    }
}

@Test func lastFractionUsesExactCeiling() throws {
    // instability.md §7.2: M = 23 → k = 5; 0.07 · 100 must give 7, not 8.
    #expect(try LastFraction(parsing: "0.2").count(of: 23) == 5)
    #expect(try LastFraction(parsing: "0.07").count(of: 100) == 7)
    #expect(try LastFraction(parsing: "1/5").count(of: 23) == 5)
    #expect(try LastFraction(parsing: "20%").count(of: 10) == 2)
    #expect(try LastFraction(parsing: "0.2").count(of: 3) == 2)   // at least two for MTV/IS
    #expect(try LastFraction(parsing: "0.2").count(of: 1) == 1)
    #expect(try LastFraction(parsing: "1").count(of: 7) == 7)
    #expect(try LastFraction(parsing: "0.2").select(run(Array(stride(from: 0, to: 2300, by: 100)))).map(\.step)
        == [1800, 1900, 2000, 2100, 2200])
    for bad in ["0", "1.5", "abc", "", "-0.2", "2/1", "0.2.1"] {
        #expect(throws: TrajectoryError.self, "\(bad)") { try LastFraction(parsing: bad) }
    }
    let dir = try TempDir(); defer { dir.cleanup() }
    for s in [10, 20, 30, 40, 50] { try FileManager.default.createDirectory(atPath: dir.file("step\(s)"), withIntermediateDirectories: true) }
    let index = try CheckpointIndex(path: dir.path)
    #expect(try index.select(steps: StepRange(parsing: "20:50"), lastFraction: LastFraction(parsing: "0.5")).map(\.step) == [40, 50])
    #expect(throws: TrajectoryError.self) { try index.select(steps: StepRange(parsing: "60:70")) }
}

@Test func fingerprintNoticesChangedFiles() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let folder = try writeFakeCheckpoint(dir.file("checkpoint-1"), floats: 200_000)  // 800 KB of data
    let checkpoint = Checkpoint(step: 1, path: folder)
    let first = try CheckpointFolder(checkpoint.path).fingerprint(verify: true)
    #expect(try CheckpointFolder(checkpoint.path).fingerprint(verify: true) == first)
    #expect(first.files == ["config.json", "model.safetensors"])
    #expect(try CheckpointFolder(checkpoint.path).fingerprint().contentSHA256 == nil)

    // Same size, different weights in a sampled region (start of data): both hashes change.
    try writeFakeCheckpoint(folder, floats: 200_000, seed: 2)
    let reseeded = try CheckpointFolder(checkpoint.path).fingerprint(verify: true)
    #expect(reseeded.fingerprint != first.fingerprint)
    #expect(reseeded.contentSHA256 != first.contentSHA256)

    // One byte outside the sampled regions: only the full --verify hash notices.
    let weights = folder + "/model.safetensors"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
    bytes[300_000] ^= 0xff
    try bytes.write(to: URL(fileURLWithPath: weights))
    let flipped = try CheckpointFolder(checkpoint.path).fingerprint(verify: true)
    #expect(flipped.fingerprint == reseeded.fingerprint)
    #expect(flipped.contentSHA256 != reseeded.contentSHA256)

    // A config change.
    try writeFakeCheckpoint(folder, floats: 200_000, seed: 2, extraConfig: ["rope_theta": 500000])
    #expect(try CheckpointFolder(checkpoint.path).fingerprint().fingerprint != reseeded.fingerprint)
}

@Test func brokenCheckpointsGiveClearErrors() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    func message(_ folder: String) -> String {
        do { _ = try CheckpointFolder(folder).fingerprint(); return "no error" } catch { return "\(error)" }
    }
    let noConfig = try writeFakeCheckpoint(dir.file("a"))
    try FileManager.default.removeItem(atPath: noConfig + "/config.json")
    #expect(message(noConfig).contains("missing config.json"))

    let noWeights = try writeFakeCheckpoint(dir.file("b"))
    try FileManager.default.removeItem(atPath: noWeights + "/model.safetensors")
    #expect(message(noWeights).contains("missing model.safetensors"))

    let halfWritten = try writeFakeCheckpoint(dir.file("c"), floats: 1000)
    let weights = URL(fileURLWithPath: halfWritten + "/model.safetensors")
    try Data(try Data(contentsOf: weights).prefix(2000)).write(to: weights)
    #expect(message(halfWritten).contains("half-written"))

    let sharded = try writeFakeCheckpoint(dir.file("d"))
    try FileManager.default.moveItem(atPath: sharded + "/model.safetensors", toPath: sharded + "/model-00001-of-00002.safetensors")
    try #"{"weight_map": {"w": "model-00001-of-00002.safetensors", "v": "model-00002-of-00002.safetensors"}}"#
        .write(toFile: sharded + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
    #expect(message(sharded).contains("model-00002-of-00002.safetensors"))
    #expect(message(sharded).contains("missing"))

    let badConfig = try writeFakeCheckpoint(dir.file("e"))
    try "{not json".write(toFile: badConfig + "/config.json", atomically: true, encoding: .utf8)
    #expect(message(badConfig).contains("config.json: not a JSON object"))
}

@Test func configsMustAgreeAcrossTheRun() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let a = Checkpoint(step: 1, path: try writeFakeCheckpoint(dir.file("step1")))
    let b = Checkpoint(step: 2, path: try writeFakeCheckpoint(dir.file("step2"), seed: 3,
                                                              extraConfig: ["transformers_version": "4.50.0"]))
    #expect(try CheckpointFolder.fingerprintAll([a, b]).count == 2)
    let c = Checkpoint(step: 3, path: try writeFakeCheckpoint(dir.file("step3"), hidden: 16))
    do {
        _ = try CheckpointFolder.fingerprintAll([a, b, c])
        Issue.record("differing hidden_size accepted")
    } catch {
        #expect("\(error)".contains("hidden_size"))
        #expect("\(error)".contains("step3/config.json"))
    }
}
