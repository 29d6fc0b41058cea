import Foundation
import Testing
import TestSupport
@testable import SafeTensors

@Test func writerMatchesPythonLibraryByteForByte() throws {
    let golden = try loadGolden()
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/kasane-mixed.safetensors"
    // Declared and appended in an order different from the layout order, to show the layout is the writer's.
    let tensors = golden.tensors.reversed()
    var writer = try SafeTensorsWriter(path: path, tensors: tensors.map { TensorInfo(name: $0.name, dtype: $0.dtype, shape: $0.shape) },
                                       metadata: golden.metadata)
    for t in tensors { try writer.append(t.name, floats: t.source) }
    try writer.finish()
    let ours = try Data(contentsOf: URL(fileURLWithPath: path))
    let theirs = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/mixed.safetensors"))
    #expect(ours == theirs)
    // tools/make_safetensors_fixtures.py --check-kasane loads this file with Python safetensors.
    if let out = ProcessInfo.processInfo.environment["KASANE_FIXTURE_OUT"] {
        try? FileManager.default.removeItem(atPath: out + "/kasane-mixed.safetensors")
        try FileManager.default.copyItem(atPath: path, toPath: out + "/kasane-mixed.safetensors")
    }
}

@Test func pythonLoadedAFileOurWriterWrote() throws {
    // Recorded by tools/make_safetensors_fixtures.py --check-kasane (Python safetensors reading our output).
    let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/python_reads_kasane.json"))
    let record = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    #expect(record?["loaded"] as? Bool == true)
    #expect(record?["byte_identical_to_mixed.safetensors"] as? Bool == true)
}

@Test func roundTripsEveryDType() throws {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var rng = SystemRandomNumberGenerator()
    let values = (0..<1000).map { _ in Float.random(in: -3...3, using: &rng) }
    let path = dir + "/rt.safetensors"
    try SafeTensorsWriter.write(path: path, tensors: [
        (TensorInfo(name: "a", dtype: .f32, shape: [10, 100]), values),
        (TensorInfo(name: "b", dtype: .bf16, shape: [1000]), values),
        (TensorInfo(name: "c", dtype: .f16, shape: [2, 5, 100]), values),
        (TensorInfo(name: "s", dtype: .f32, shape: []), [42]),
        (TensorInfo(name: "z", dtype: .f16, shape: [0]), []),
    ], metadata: ["format": "pt", "step": "100"])
    let file = try SafeTensorsFile(path: path)
    #expect(file.tensorNames == ["a", "b", "c", "s", "z"])
    #expect(file.metadata == ["format": "pt", "step": "100"])
    #expect(sameBits(try file.floats("a"), values))
    let b = try file.floats("b"), c = try file.floats("c")
    for i in 0..<values.count {
        #expect(abs(b[i] - values[i]) <= abs(values[i]) / 256)     // bf16 keeps 8 significant bits
        #expect(abs(c[i] - values[i]) <= abs(values[i]) / 2048 + 6e-8)
    }
    #expect(try file.floats("s") == [42])
    #expect(try file.info("c").shape == [2, 5, 100])
    #expect(try file.floats("z").isEmpty)
}

@Test func unfinishedWriterLeavesNothingBehind() throws {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/partial.safetensors"
    do {
        var writer = try SafeTensorsWriter(path: path, tensors: [
            TensorInfo(name: "a", dtype: .f32, shape: [2]), TensorInfo(name: "b", dtype: .f32, shape: [2]),
        ], metadata: [:])
        try writer.append("a", floats: [1, 2])
        expectError([path, "finish() before tensor 'b'"]) { try writer.finish() }
        expectError([path, "tensor 'b': 3 values given"]) { try writer.append("b", floats: [1, 2, 3]) }
        expectError([path, "tensor 'a' appended twice"]) { try writer.append("a", floats: [1, 2]) }
        expectError([path, "tensor 'q' was not declared"]) { try writer.append("q", floats: [1]) }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    expectError([path, "declared twice"]) {
        _ = try SafeTensorsWriter(path: path, tensors: [TensorInfo(name: "a", dtype: .f32, shape: [1]),
                                                         TensorInfo(name: "a", dtype: .f16, shape: [1])], metadata: [:])
    }
}

@Test func writerReplacesExistingFileAtomically() throws {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/model.safetensors"
    try SafeTensorsWriter.write(path: path, tensors: [(TensorInfo(name: "x", dtype: .f32, shape: [1]), [1])])
    var writer = try SafeTensorsWriter(path: path, tensors: [TensorInfo(name: "x", dtype: .f32, shape: [1])], metadata: [:])
    try writer.append("x", floats: [2])
    #expect(try SafeTensorsFile(path: path).floats("x") == [1])   // old file intact until finish
    try writer.finish()
    #expect(try SafeTensorsFile(path: path).floats("x") == [2])
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["model.safetensors"])
}
