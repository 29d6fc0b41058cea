import Foundation
import JSON
import Llama
import Testing

/// A checkpoint the trainer wrote (Fixtures/trained-checkpoint/checkpoint-40, GQA: 2 KV heads for 4 query heads)
/// loads in Kasane's inference engine, whose logits match the ones transformers computed from the same folder
/// (hf_check.json, written by tools/check_trained_checkpoint.py).
@Test func engineLogitsOnATrainerCheckpointMatchTransformers() throws {
    let check = try JSONParser.parse(file: CheckpointFixtureTests.fixtureDirectory + "/hf_check.json")
    let tokens = try #require(check["tokens"]?.arrayValue).compactMap { $0.intValue }
    let hf = try #require(check["hf_logits"]?.arrayValue).map { row in row.arrayValue?.compactMap { $0.doubleValue } ?? [] }
    let engine = try LlamaModel(directory: CheckpointFixtureTests.checkpointDirectory)
    #expect(engine.config.numKVHeads == 2 && engine.config.numHeads == 4 && !engine.config.tieWordEmbeddings)
    let logits = try engine.logits(tokens: tokens)
    #expect(logits.count == tokens.count && hf.count == tokens.count)
    var maxDiff = 0.0
    for (row, reference) in zip(logits, hf) {
        #expect(row.count == reference.count && row.count == engine.config.vocabSize)
        for (v, r) in zip(row, reference) { maxDiff = max(maxDiff, abs(Double(v) - r) / (1 + abs(r))) }
    }
    #expect(maxDiff < 1e-4, "max |engine − transformers| / (1 + |x|): \(maxDiff)")
}
