import Foundation
import Linalg
import Llama
import Testing
@testable import TinyWorld

/// A checkpoint the trainer writes loads in Kasane's inference engine (`LlamaModel`), whose logits match the
/// trainer's own forward pass on the same (BF16-rounded) weights.
@Suite struct EngineLoadsCheckpointTests {
    @Test(arguments: [2, 4])   // GQA (2 KV heads for 4 query heads) and MHA
    func engineLogitsMatchTrainerForward(kvHeads: Int) throws {
        let dir = TrainerFixtures.temporaryDirectory("engine-\(kvHeads)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpusPath = try TrainerFixtures.writeCorpus(dir, documents: TrainerFixtures.sentences)
        let tok = ByteTokenizer()
        let corpus = try TrainingCorpus.load(jsonl: corpusPath, tokenizer: tok)
        var recipe = TrainerFixtures.recipe(corpus: corpusPath, tokenizer: dir, steps: 15, saveEvery: 15)
        recipe.model.numKVHeads = kvHeads
        let config = try recipe.modelConfig(tokenizerVocab: tok.trainingVocabSize, bosTokenId: 1, eosTokenId: 2,
                                            file: "test")
        let writer = CheckpointWriter(outputDirectory: dir + "/run", tokenizerFiles: [])
        let trainer = try Trainer(recipe: recipe, config: config, corpus: corpus, writer: writer)
        try trainer.run()

        let engine = try LlamaModel(directory: dir + "/run/checkpoint-15")
        #expect(engine.config.numKVHeads == kvHeads && engine.config.vocabSize == config.vocabSize)
        #expect(!engine.config.tieWordEmbeddings)
        let tokens = [1] + "Tama reads 本.".utf8.map { Int($0) + 3 }
        let engineLogits = try engine.logits(tokens: tokens)

        let probe = TrainingModel(config: config, batch: 1, seqLen: tokens.count)
        probe.setParameters(trainer.model.params.map(roundedToBF16))
        try probe.forward(tokens: tokens)
        #expect(engineLogits.count == tokens.count)
        var maxDiff: Float = 0
        for (n, row) in engineLogits.enumerated() {
            #expect(row.count == config.vocabSize)
            for (j, v) in row.enumerated() { maxDiff = max(maxDiff, abs(v - probe.logits[n * config.vocabSize + j])) }
        }
        #expect(maxDiff < 1e-3, "max |logit difference| engine vs trainer: \(maxDiff)")
    }
}
