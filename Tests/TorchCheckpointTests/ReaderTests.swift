import Foundation
import Testing
import TestSupport
@testable import TorchCheckpoint

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// torch's values and shapes of every tensor in state_dict.pt (tools/make_torch_checkpoint_fixtures.py).
func loadGolden() throws -> [String: (shape: [Int], values: [Float])] {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/tensors.json"))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let tensors = try #require(root["tensors"] as? [String: [String: Any]])
    var out: [String: (shape: [Int], values: [Float])] = [:]
    for (name, t) in tensors {
        let shape = try #require(t["shape"] as? [Int])
        let values = try #require(t["values"] as? [Double]).map { Float($0) }
        out[name] = (shape, values)
    }
    return out
}

@Test func readsEveryTensorTorchSaved() throws {
    let golden = try loadGolden()
    let ckpt = try TorchCheckpoint(path: fixtures + "/state_dict.pt")
    #expect(Set(ckpt.tensorNames) == Set(golden.keys))
    #expect(ckpt.tensorNames.first == "dense.weight")
    for (name, g) in golden {
        #expect(try ckpt.shape(name) == g.shape, "shape of \(name)")
        let values = try ckpt.floats(name)
        #expect(values.map(\.bitPattern) == g.values.map(\.bitPattern), "values of \(name)")
    }
    #expect(try ckpt.record("dense.weight_t").strides == [1, 6])
    #expect(try ckpt.record("shared.tail").offset == 5)
    #expect(try ckpt.record("half").storage.dtype == .float16)
    #expect(try ckpt.record("bf16").storage.dtype == .bfloat16)
}

@Test func readsTheLightningLayout() throws {
    let golden = try loadGolden()
    let ckpt = try TorchCheckpoint(path: fixtures + "/lightning.ckpt")
    #expect(ckpt.tensorNames == ["dense.weight", "dense.weight_t"])
    #expect(try ckpt.floats("dense.weight") == golden["dense.weight"]!.values)
    let top = try #require(ckpt.root.dictValue)
    #expect(top["epoch"]?.intValue == 3)
    let hparams = try #require(top["hyper_parameters"]?.dictValue)
    #expect(hparams["activations"]?.stringValue == "Tanh")
    #expect(hparams["hidden_sizes"]?.tupleOrListItems?.compactMap(\.intValue) == [8, 4])
    if case .bytes(let b)? = hparams["blob"] { #expect(b == [0, 255] + Array("bytes".utf8)) } else { Issue.record("blob is not bytes") }
}

@Test func missingTensorNamesFileAndTensor() throws {
    let ckpt = try TorchCheckpoint(path: fixtures + "/state_dict.pt")
    expectError(["state_dict.pt", "'nope'", "not in the checkpoint"]) { _ = try ckpt.floats("nope") }
}

@Test func readsALegacyPytorchModelBin() throws {
    // transformers' save_pretrained(safe_serialization=False) of a tiny XLMRobertaModel.
    let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/bin_values.json"))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let names = try #require(root["names"] as? [String])
    let tensors = try #require(root["tensors"] as? [String: [String: Any]])
    let ckpt = try TorchCheckpoint(path: fixtures + "/pytorch_model.bin")
    #expect(ckpt.tensorNames.sorted() == names)
    for (name, t) in tensors {
        #expect(try ckpt.shape(name) == t["shape"] as? [Int])
        let values = try #require(t["values"] as? [Double]).map { Float($0) }
        #expect(try ckpt.floats(name) == values, "values of \(name)")
    }
}
