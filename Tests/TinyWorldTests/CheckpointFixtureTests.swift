import Foundation
import Linalg
import SafeTensors
import Testing
@testable import TinyWorld

/// A checkpoint written by the trainer, loaded in Hugging Face transformers by `tools/check_trained_checkpoint.py`.
/// The fixture (Fixtures/trained-checkpoint/) holds the checkpoint and transformers' logits for a token sequence.
@Suite struct CheckpointFixtureTests {
    static let fixtureDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/trained-checkpoint").path
    static let checkpointDirectory = fixtureDirectory + "/checkpoint-40"

    /// The tiny GQA config of the fixture (byte tokenizer: vocab 259 padded to 320).
    static func fixtureRecipe(corpus: String) -> TrainingRecipe {
        var r = TrainerFixtures.recipe(corpus: corpus, tokenizer: "", steps: 40, seqLen: 32, batch: 8, lr: 1e-2,
                                       saveEvery: 40)
        r.model.numKVHeads = 2
        r.training.seed = 11
        r.training.dataSeed = 12
        return r
    }

    static let probeTokens = [1] + "Hana reads a book. 花子".utf8.map { Int($0) + 3 }

    /// Regenerates the checkpoint and the trainer's logits. Run through tools/check_trained_checkpoint.py, which then
    /// adds transformers' logits; not part of the normal test run.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KASANE_WRITE_TRAINER_FIXTURE"] != nil))
    func writeFixtureCheckpoint() throws {
        let dir = TestSupport.temporaryDirectory("fixture")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpusPath = try TrainerFixtures.writeCorpus(dir, documents: TrainerFixtures.sentences)
        let tok = ByteTokenizer()
        let corpus = try TrainingCorpus.load(jsonl: corpusPath, tokenizer: tok)
        let recipe = Self.fixtureRecipe(corpus: corpusPath)
        let config = try recipe.modelConfig(tokenizerVocab: tok.trainingVocabSize, bosTokenId: 1, eosTokenId: 2,
                                            file: "fixture")
        try? FileManager.default.removeItem(atPath: Self.fixtureDirectory)
        let writer = CheckpointWriter(outputDirectory: Self.fixtureDirectory, tokenizerFiles: [])
        let trainer = try Trainer(recipe: recipe, config: config, corpus: corpus, writer: writer)
        try trainer.run()
        try? FileManager.default.removeItem(atPath: Self.fixtureDirectory + "/train_log.jsonl")

        // The trainer's own forward on the weights as stored (BF16), in fp32.
        let probe = TrainingModel(config: config, batch: 1, seqLen: Self.probeTokens.count)
        probe.setParameters(trainer.model.params.map(roundedToBF16))
        try probe.forward(tokens: Self.probeTokens)
        let logits = Array(probe.logits)
        let json: [String: Any] = ["tokens": Self.probeTokens, "vocab_size": config.vocabSize,
                                   "logits": logits.map { Double($0) },
                                   "note": "TrainingModel fp32 forward on the BF16-rounded weights of checkpoint-40"]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: Self.fixtureDirectory + "/trainer_logits.json"))
    }

    /// Golden test: our forward on the committed checkpoint against the logits transformers computed from it.
    @Test func trainerForwardMatchesTransformersLogits() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.fixtureDirectory + "/hf_check.json"))
        let check = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tokens = try #require(check["tokens"] as? [Int])
        let hf = try #require(check["hf_logits"] as? [[Double]])
        let weights = try SafeTensorsFile(path: Self.checkpointDirectory + "/model.safetensors")
        let cfgData = try #require(FileManager.default.contents(atPath: Self.checkpointDirectory + "/config.json"))
        let cfg = try #require(try JSONSerialization.jsonObject(with: cfgData) as? [String: Any])
        func int(_ key: String) throws -> Int { try #require(cfg[key] as? Int, "config.json: \(key)") }
        let config = TrainingModelConfig(
            hiddenSize: try int("hidden_size"), intermediateSize: try int("intermediate_size"),
            numLayers: try int("num_hidden_layers"), numHeads: try int("num_attention_heads"),
            numKVHeads: try int("num_key_value_heads"), vocabSize: try int("vocab_size"),
            maxPositionEmbeddings: try int("max_position_embeddings"))
        let model = TrainingModel(config: config, batch: 1, seqLen: tokens.count)
        var flat = [Float](repeating: .nan, count: model.layout.totalCount)
        for t in model.layout.tensors {
            let values = try weights.floats(t.name)
            #expect(values.count == t.count, "\(t.name)")
            for i in 0..<min(values.count, t.count) { flat[t.offset + i] = values[i] }
        }
        model.setParameters(flat)
        try model.forward(tokens: tokens)
        #expect(hf.count == tokens.count)
        var maxDiff: Float = 0
        for (n, row) in hf.enumerated() {
            #expect(row.count == config.vocabSize)
            for (j, v) in row.enumerated() { maxDiff = max(maxDiff, abs(model.logits[n * config.vocabSize + j] - Float(v))) }
        }
        #expect(maxDiff < 1e-3, "max |logit difference| to transformers: \(maxDiff)")
    }

    @Test func writtenCheckpointHasEveryFileAndNoTemporaryFolder() throws {
        let dir = TestSupport.temporaryDirectory("write")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tokFile = dir + "/tokenizer.json"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: tokFile))
        let config = TrainingModelConfig(hiddenSize: 8, intermediateSize: 12, numLayers: 1, numHeads: 2, numKVHeads: 1,
                                         vocabSize: 16, maxPositionEmbeddings: 4)
        let model = TrainingModel(config: config, batch: 1, seqLen: 4)
        model.initialize(seed: 3)
        let out = dir + "/run"
        let writer = CheckpointWriter(outputDirectory: out, tokenizerFiles: [tokFile],
                                      extraFiles: ["special_tokens_map.json": Data("{}".utf8)])
        let state = TrainerState(step: 7, loss: 2.5, lr: 1e-3, tokensSeen: 28, gradNorm: 0.5, seed: 3, dataSeed: 4)
        let path = try writer.write(model: model, state: state)
        #expect(path == out + "/checkpoint-7")
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        #expect(names == ["config.json", "generation_config.json", "model.safetensors", "special_tokens_map.json",
                          "tokenizer.json", "trainer_state.json"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["checkpoint-7"])
        let reader = try SafeTensorsFile(path: path + "/model.safetensors")
        #expect(reader.tensorNames.count == model.layout.tensors.count)
        #expect(try reader.info("lm_head.weight").dtype == .bf16)
        for t in model.layout.tensors {
            let stored = try reader.floats(t.name)
            #expect(stored == Array(model.params[t.offset..<(t.offset + t.count)]).map(roundedToBF16), "\(t.name)")
        }
        let stateBack = try JSONDecoder().decode(TrainerState.self,
                                                 from: try Data(contentsOf: URL(fileURLWithPath: path + "/trainer_state.json")))
        #expect(stateBack == state)
        // Writing the same step again replaces the folder.
        try writer.write(model: model, state: state)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["checkpoint-7"])
    }

    @Test func bf16RoundsToNearestEven() {
        #expect(roundedToBF16(1.0) == 1.0)
        #expect(roundedToBF16(Float(bitPattern: 0x3F80_8000)) == 1.0)               // tie → even (down)
        #expect(roundedToBF16(Float(bitPattern: 0x3F81_8000)) == Float(bitPattern: 0x3F82_0000))  // tie → even (up)
        #expect(roundedToBF16(Float(bitPattern: 0x3F80_8001)) == Float(bitPattern: 0x3F81_0000))
        #expect(roundedToBF16(.nan).isNaN)
        #expect(roundedToBF16(.infinity) == .infinity)
    }
}
