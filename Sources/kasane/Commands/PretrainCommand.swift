import ArgumentParser
import TinyWorld

struct PretrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pretrain", abstract:
        "Pretrain a small LLaMA from a recipe (docs/FORMATS.md) into checkpoint-<step>/ folders.")

    @Option(help: "The recipe JSON file.") var config: String
    @Option(help: "Output folder (checkpoint-<step>/ and train_log.jsonl).") var output: String
    @Option(help: "Optimiser steps (overrides the recipe).") var steps: Int?
    @Option(help: "Save every K steps (overrides the recipe's schedule).") var saveEvery: Int?
    @Option(help: "Initialisation seed (overrides the recipe).") var seed: UInt64?
    @Option(help: "Data order seed (overrides the recipe).") var dataSeed: UInt64?
    @Option(help: "Progress line every N steps.") var logEvery: Int = 10

    func run() async throws {
        try PretrainJob.run(recipePath: config, overrides: .init(steps: steps, saveEvery: saveEvery, seed: seed,
                                                                dataSeed: dataSeed),
                            outputDirectory: output, logEvery: logEvery, report: Console().say)
    }
}
