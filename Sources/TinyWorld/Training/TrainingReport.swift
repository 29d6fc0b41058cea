import Foundation
import Linalg

extension TrainingProgress {
    /// `kasane pretrain`'s progress line: loss, learning rate, gradient norm, speed, elapsed time, ETA, saves.
    public var line: String {
        var line = String(format: "step %d/%d  loss %.4f  lr %.2e  |g| %.3f  %.0f tok/s", step, totalSteps, loss,
                          Double(lr), Double(gradNorm), tokensPerSecond)
        line += "  elapsed \(DurationText.format(elapsedSeconds))  ETA \(DurationText.format(etaSeconds))"
        if let savedCheckpoint { line += "  saved " + URL(fileURLWithPath: savedCheckpoint).lastPathComponent }
        return line
    }
}

extension PretrainJob {
    /// What is about to be trained on what, told before the first step; `tokenizeSeconds` is the corpus's encoding.
    public func summaryLines(tokenizeSeconds: Double) -> [String] {
        let c = config, r = recipe
        return [
            "model: \(trainer.model.layout.totalCount) parameters (hidden \(c.hiddenSize), ffn \(c.intermediateSize), "
                + "layers \(c.numLayers), heads \(c.numHeads)/\(c.numKVHeads) kv, vocab \(c.vocabSize))",
            "data: \(corpus.documentCount) documents, \(corpus.tokenCount) tokens "
                + "(tokenized in \(DurationText.format(tokenizeSeconds))); "
                + "\(r.training.batchSize) × \(r.data.seqLen) tokens per step, \(r.training.steps) steps",
        ]
    }
}
