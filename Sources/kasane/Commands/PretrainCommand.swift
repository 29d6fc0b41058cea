import ArgumentParser
import Foundation
import Linalg
import TinyWorld

struct PretrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain a small LLaMA from a recipe and write a checkpoint-<step>/ trajectory.",
        discussion: """
            The recipe (JSON, e.g. models/tiny-world.recipe.json; see docs/FORMATS.md) names the model shape, the \
            corpus, the tokenizer, AdamW and learning-rate settings, the seeds and the checkpoint schedule. Each \
            checkpoint folder (config.json, BF16 model.safetensors, tokenizer files, trainer_state.json) is renamed \
            into place only when complete.
            """)

    @Option(help: "The recipe JSON file.") var config: String
    @Option(help: "Output folder for checkpoint-<step>/ folders and train_log.jsonl.") var output: String
    @Option(help: "Number of optimiser steps (overrides the recipe).") var steps: Int?
    @Option(help: "Save every K steps, uniformly (overrides the recipe's schedule).") var saveEvery: Int?
    @Option(help: "Seed of the parameter initialisation (overrides the recipe).") var seed: UInt64?
    @Option(help: "Seed of the document and sequence order (overrides the recipe).") var dataSeed: UInt64?
    @Option(help: "Print a progress line every N steps (and at every checkpoint).") var logEvery: Int = 10

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
        job.summaryLines(tokenizeSeconds: Date().timeIntervalSince(started)).forEach { say($0) }
        var saved = 0
        try job.trainer.run { p in
            if p.savedCheckpoint != nil { saved += 1 }
            if p.step % logEvery == 0 || p.savedCheckpoint != nil || p.step == p.totalSteps { say(p.line) }
        }
        print("wrote \(saved) checkpoints to \(output) in \(DurationText.format(Date().timeIntervalSince(started)))")
    }
}
