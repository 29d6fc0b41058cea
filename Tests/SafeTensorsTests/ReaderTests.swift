import Foundation
import Testing
import TestSupport
@testable import SafeTensors

@Test func readsPythonWrittenFileExactly() throws {
    let golden = try loadGolden()
    let file = try SafeTensorsFile(path: fixtures + "/mixed.safetensors")
    #expect(file.metadata == golden.metadata)
    #expect(file.tensorNames == golden.tensors.map(\.name))
    for g in golden.tensors {
        let info = try file.info(g.name)
        #expect(info == TensorInfo(name: g.name, dtype: g.dtype, shape: g.shape))
        #expect(sameBits(try file.floats(g.name), g.stored), "values of \(g.name)")
    }
}

@Test func readsShardedIndex() throws {
    let golden = try loadGolden()
    let store = try WeightStore(directory: fixtures + "/sharded")
    #expect(store.tensorNames == golden.tensors.map(\.name))
    #expect(store.indexMetadata["total_size"] != nil)
    for g in golden.tensors {
        #expect(try store.info(g.name).shape == g.shape)
        #expect(sameBits(try store.floats(g.name), g.stored), "values of \(g.name)")
    }
    expectError(["sharded/model.safetensors.index.json", "missing tensor 'model.layers.9.mlp.up_proj.weight'"]) {
        _ = try store.floats("model.layers.9.mlp.up_proj.weight")
    }
}

@Test func weightStoreOverSingleFile() throws {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.copyItem(atPath: fixtures + "/mixed.safetensors", toPath: dir + "/model.safetensors")
    let store = try WeightStore(directory: dir)
    let golden = try loadGolden()
    #expect(store.tensorNames == golden.tensors.map(\.name))
    let g = golden.tensors.first { $0.dtype == .bf16 && !$0.stored.isEmpty }!
    var buffer = [Float](repeating: 0, count: g.stored.count)
    try buffer.withUnsafeMutableBufferPointer { try store.copyFloats(g.name, into: $0) }
    #expect(sameBits(buffer, g.stored))
    expectError(["model.safetensors", "missing tensor 'nope'"]) { _ = try store.info("nope") }
    expectError([dir, "missing model.safetensors"]) { _ = try WeightStore(directory: dir + "/absent") }
}

@Test func largeTensorsConvertInParallelCorrectly() throws {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let n = 3 << 20 + 5
    let values = (0..<n).map { Float($0 % 256 - 128) * 0.125 }   // all exact in bf16 (8 significant bits)
    try SafeTensorsWriter.write(path: dir + "/big.safetensors",
                                tensors: [(TensorInfo(name: "w", dtype: .bf16, shape: [n]), values)])
    let file = try SafeTensorsFile(path: dir + "/big.safetensors")
    #expect(try file.floats("w") == values)
}
