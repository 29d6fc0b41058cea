import ArgumentParser
import Foundation
import Trajectory
import TinyWorld

struct PretrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain a small LLaMA from a recipe and write a checkpoint-<step>/ trajectory.",
        discussion: """
            The recipe (JSON, e.g. models/tiny-world.recipe.json) names the model shape, the corpus (JSONL, one \
            {"text": ...} per document), the tokenizer, the AdamW and learning-rate settings, the seeds and the \
            checkpoint schedule; see docs/FORMATS.md. Every checkpoint folder holds config.json, model.safetensors \
            (BF16), the tokenizer files and trainer_state.json, and is renamed into place only when complete.
            """)

    @Option(name: .long, help: "The recipe JSON file.")
    var config: String
    @Option(name: .long, help: "Output folder for checkpoint-<step>/ folders and train_log.jsonl.")
    var output: String
    @Option(name: .long, help: "Number of optimiser steps (overrides the recipe).")
    var steps: Int?
    @Option(name: .customLong("save-every"), help: "Save every K steps, uniformly (overrides the recipe's schedule).")
    var saveEvery: Int?
    @Option(name: .long, help: "Seed of the parameter initialisation (overrides the recipe).")
    var seed: UInt64?
    @Option(name: .customLong("data-seed"), help: "Seed of the document and sequence order (overrides the recipe).")
    var dataSeed: UInt64?
    @Option(name: .customLong("log-every"), help: "Print a progress line every N steps (and at every checkpoint).")
    var logEvery: Int = 10

    func validate() throws {
        if let steps, steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let saveEvery, saveEvery < 1 { throw ValidationError("--save-every must be at least 1") }
        if logEvery < 1 { throw ValidationError("--log-every must be at least 1") }
    }

    func run() async throws {
        let started = Date()
        let job = try PretrainJob(recipePath: config,
                                  overrides: .init(steps: steps, saveEvery: saveEvery, seed: seed, dataSeed: dataSeed),
                                  outputDirectory: output)
        let c = job.config, r = job.recipe
        let params = job.trainer.model.layout.totalCount
        print("model: \(params) parameters (hidden \(c.hiddenSize), ffn \(c.intermediateSize), layers \(c.numLayers), "
              + "heads \(c.numHeads)/\(c.numKVHeads) kv, vocab \(c.vocabSize))")
        print("data: \(job.corpus.documentCount) documents, \(job.corpus.tokenCount) tokens "
              + "(tokenized in \(DurationText.format(Date().timeIntervalSince(started)))); "
              + "\(r.training.batchSize) × \(r.data.seqLen) tokens per step, \(r.training.steps) steps")
        fflush(nil)
        var saved = 0
        try job.trainer.run { p in
            if p.savedCheckpoint != nil { saved += 1 }
            guard p.step % logEvery == 0 || p.savedCheckpoint != nil || p.step == p.totalSteps else { return }
            var line = String(format: "step %d/%d  loss %.4f  lr %.2e  |g| %.3f  %.0f tok/s", p.step, p.totalSteps,
                              p.loss, Double(p.lr), Double(p.gradNorm), p.tokensPerSecond)
            line += "  elapsed \(DurationText.format(p.elapsedSeconds))  ETA \(DurationText.format(p.etaSeconds))"
            if let path = p.savedCheckpoint { line += "  saved " + URL(fileURLWithPath: path).lastPathComponent }
            print(line)
            fflush(nil)       // progress must show live when piped (make models | tee)
        }
        print("wrote \(saved) checkpoints to \(output) in \(DurationText.format(Date().timeIntervalSince(started)))")
    }
}
