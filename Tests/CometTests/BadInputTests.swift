import Foundation
import Testing
@testable import Comet
import TestSupport

/// A copy of the fixture folder with hparams.yaml replaced; the caller removes it (a `defer` right after this call),
/// and it is removed here if making it fails.
func folderWithHParams(_ text: String, _ name: String = #function) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kasane-comet-\(name.filter(\.isLetter))-\(UUID().uuidString)")
    do {
        try FileManager.default.copyItem(at: fixture, to: dir)
        try text.write(to: dir.appendingPathComponent("hparams.yaml"), atomically: true, encoding: .utf8)
    } catch {
        try? FileManager.default.removeItem(at: dir)
        throw error
    }
    return dir
}

@Test func readsTheFlatYamlCometWrites() {
    let parsed = CometHParams.parse("a: 1\nhidden_sizes:\n- 3072\n- 1024\nname: 'x y'\nempty: []\ninline: [1, 2]\n# c\nfinal_activation: null\n")
    #expect(parsed["a"] == .scalar("1"))
    #expect(parsed["hidden_sizes"] == .list(["3072", "1024"]))
    #expect(parsed["name"] == .scalar("x y"))
    #expect(parsed["empty"] == .list([]))
    #expect(parsed["inline"] == .list(["1", "2"]))
    #expect(parsed["final_activation"] == .scalar("null"))
}

@Test func badModelFoldersFailWithOneLine() throws {
    let original = try String(contentsOf: fixture.appendingPathComponent("hparams.yaml"), encoding: .utf8)
    let unified = try folderWithHParams(original.replacingOccurrences(of: "class_identifier: regression_metric", with: "class_identifier: unified_metric"))
    defer { try? FileManager.default.removeItem(at: unified) }
    expectError(["hparams.yaml", "class_identifier", "unified_metric"]) { _ = try CometModel(folder: unified) }
    let relu = try folderWithHParams(original.replacingOccurrences(of: "activations: Tanh", with: "activations: ReLU"))
    defer { try? FileManager.default.removeItem(at: relu) }
    expectError(["hparams.yaml", "activations", "ReLU"]) { _ = try CometModel(folder: relu) }
    let wide = try folderWithHParams(original.replacingOccurrences(of: "- 48", with: "- 64"))
    defer { try? FileManager.default.removeItem(at: wide) }
    expectError(["model.ckpt", "estimator.ff.0.weight", "shape"]) { _ = try CometModel(folder: wide) }
    let nowhere = URL(fileURLWithPath: "/nonexistent-comet")
    expectError(["/nonexistent-comet/hparams.yaml", "no such file"]) { _ = try CometModel(folder: nowhere) }
    let noTokenizer = try folderWithHParams(original.replacingOccurrences(of: "pretrained_model: xlmr", with: "pretrained_model: xlm-roberta-large"))
    defer { try? FileManager.default.removeItem(at: noTokenizer) }
    expectError(["tokenizer.json", "xlm-roberta-large"]) { _ = try CometModel(folder: noTokenizer) }
}

@Test func mismatchedListsAreRefused() throws {
    let model = try CometModel(folder: fixture)
    expectError(["as many sources", "2, 1, 1"]) { _ = try model.score(sources: ["a", "b"], translations: ["a"], references: ["a"]) }
}
