import Foundation
@testable import TinyWorld

/// UTF-8 bytes shifted past the special ids: 0 unk, 1 BOS, 2 EOS, 3 + byte.
struct ByteTokenizer: TrainingTokenizer {
    func encodePlain(_ text: String) throws -> [Int] { text.utf8.map { Int($0) + 3 } }
    var trainingVocabSize: Int { 259 }
    var trainingBOS: Int { 1 }
    var trainingEOS: Int { 2 }
}

enum TrainerFixtures {
    static let sentences = [
        "Tama is a cat who lives in Kyoto.", "タマは京都に住む猫です。", "The river flows to the sea.",
        "Hana reads a book every morning.", "花子は毎朝本を読みます。", "Two plus three is five.",
    ]

    /// A recipe for a small model on `corpus`, paths absolute.
    static func recipe(corpus: String, tokenizer: String, steps: Int, seqLen: Int = 32, batch: Int = 8,
                       lr: Float = 1e-2, saveEvery: Int = 1000) -> TrainingRecipe {
        var t = TrainingRecipe.Training(steps: steps, batchSize: batch, lr: lr)
        t.warmupSteps = 5
        t.minLR = lr / 10
        return TrainingRecipe(
            model: .init(hiddenSize: 32, intermediateSize: 64, numLayers: 2, numHeads: 4),
            data: .init(corpus: corpus, tokenizer: tokenizer, seqLen: seqLen),
            training: t,
            checkpoints: .init(saveEvery: saveEvery))
    }

    static func writeCorpus(_ dir: String, documents: [String]) throws -> String {
        let path = dir + "/corpus.jsonl"
        let lines = try documents.map { doc -> String in
            String(decoding: try JSONSerialization.data(withJSONObject: ["text": doc]), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
