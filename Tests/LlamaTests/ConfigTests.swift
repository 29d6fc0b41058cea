import Foundation
import JSON
import Testing
@testable import Llama

@Suite struct ConfigTests {
    /// Writes `json` to a temporary config.json and loads it.
    func load(_ json: String) throws -> LlamaConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kasane-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("config.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        return try LlamaConfig.load(path: file.path)
    }

    func error(_ json: String) -> String {
        do { _ = try load(json); return "no error" } catch { return "\(error)" }
    }

    let base = """
    "model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
    "num_attention_heads": 4, "vocab_size": 100
    """

    @Test func transformers4xStyle() throws {
        let c = try LlamaConfig.load(path: Fixtures.directory("mha-f32-untied-4x"))
        #expect(c.hiddenSize == 64 && c.numHeads == 4 && c.numKVHeads == 4 && c.headDim == 16)
        #expect(c.vocabSize == 320 && c.intermediateSize == 160 && c.numLayers == 2)
        #expect(c.ropeTheta == 10000 && c.ropeScaling == nil && c.rmsNormEps == 1e-5)
        #expect(c.torchDtype == "float32" && !c.tieWordEmbeddings && c.eosTokenIds == [2] && c.bosTokenId == 1)
    }

    @Test func transformers5xStyle() throws {
        let c = try LlamaConfig.load(path: Fixtures.directory("gqa-bf16-tied-5x") + "/config.json")
        #expect(c.numHeads == 8 && c.numKVHeads == 2 && c.headDim == 8 && c.tieWordEmbeddings)
        #expect(c.eosTokenIds == [2, 5] && c.torchDtype == "bfloat16" && c.rmsNormEps == 1e-6)
        let d = try LlamaConfig.load(path: Fixtures.directory("headdim192-bf16-5x"))
        #expect(d.headDim == 192 && d.hiddenSize == 96 && d.numHeads == 2)
    }

    @Test func llama3RopeScaling() throws {
        let c = try LlamaConfig.load(path: Fixtures.directory("llama3rope-f32-4x"))
        #expect(c.ropeScaling == Llama3RopeScaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4,
                                                   originalMaxPositionEmbeddings: 16))
        #expect(c.ropeTheta == 500000 && c.eosTokenIds.isEmpty)
        let five = try load("{\(base), \"rope_parameters\": {\"rope_type\": \"llama3\", \"rope_theta\": 5e5, \"factor\": 8, \"low_freq_factor\": 1, \"high_freq_factor\": 4, \"original_max_position_embeddings\": 16}}")
        #expect(five.ropeScaling == c.ropeScaling && five.ropeTheta == 500000)
    }

    @Test func defaultsFollowTransformers() throws {
        let c = try load("{\(base)}")
        #expect(c.numKVHeads == 4 && c.headDim == 16 && c.rmsNormEps == 1e-6 && c.ropeTheta == 10000)
        #expect(c.maxPositionEmbeddings == 2048 && c.bosTokenId == 1 && c.eosTokenIds == [2] && !c.tieWordEmbeddings)
        let n = try load("{\(base), \"eos_token_id\": null, \"bos_token_id\": null, \"rope_scaling\": {\"rope_type\": \"default\"}}")
        #expect(n.eosTokenIds.isEmpty && n.bosTokenId == nil)
    }

    @Test func jsonValueRoundTrips() throws {
        for name in Fixtures.models {
            let c = try LlamaConfig.load(path: Fixtures.directory(name))
            #expect(try load(JSONWriter.string(c.jsonValue(), sortKeys: true)) == c, "\(name)")
        }
    }

    @Test func missingFieldNamesFileAndField() {
        let e = error("{\"model_type\": \"llama\", \"hidden_size\": 64}")
        #expect(e.contains("config.json") && e.contains("'intermediate_size'") && e.contains("missing"))
        #expect(error("{\"hidden_size\": 64}").contains("'model_type'"))
    }

    @Test func unsupportedModelType() {
        let e = error("{\(base.replacingOccurrences(of: "\"llama\"", with: "\"mistral\""))}")
        #expect(e.contains("config.json") && e.contains("model_type") && e.contains("mistral"))
    }

    @Test func wrongTypesAndValues() {
        #expect(error("{\(base.replacingOccurrences(of: "\"vocab_size\": 100", with: "\"vocab_size\": \"100\""))}")
            .contains("'vocab_size' must be an integer"))
        #expect(error("{\(base), \"tie_word_embeddings\": 1}").contains("'tie_word_embeddings' must be a boolean"))
        #expect(error("{\(base), \"num_key_value_heads\": 3}").contains("num_key_value_heads"))
        #expect(error("{\(base), \"head_dim\": 15}").contains("head_dim"))
        #expect(error("{\(base), \"eos_token_id\": \"x\"}").contains("eos_token_id"))
        #expect(error("{\(base), \"hidden_act\": \"gelu\"}").contains("hidden_act"))
        #expect(error("{\(base), \"attention_bias\": true}").contains("attention_bias"))
        #expect(error("not json").contains("invalid JSON"))
        #expect(error("[1]").contains("not a JSON object"))
    }

    @Test func unsupportedRopeScaling() {
        let e = error("{\(base), \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2}}")
        #expect(e.contains("rope_scaling.type") && e.contains("linear"))
        let f = error("{\(base), \"rope_parameters\": {\"rope_type\": \"yarn\", \"rope_theta\": 10000}}")
        #expect(f.contains("rope_parameters.rope_type") && f.contains("yarn"))
        let g = error("{\(base), \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8}}")
        #expect(g.contains("rope_scaling.low_freq_factor"))
    }

    @Test func missingFileIsAnError() {
        #expect(throws: LlamaError.self) { try LlamaConfig.load(path: "/nonexistent/config.json") }
    }
}
