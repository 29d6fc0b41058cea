import ArgumentParser
import Foundation
import SafeTensors
import Trajectory

struct AverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "average",
        abstract: "Average the weights of neighbouring checkpoints and write Hugging Face checkpoints.",
        discussion: """
        Streams tensor by tensor from the memory-mapped inputs and accumulates in fp64, rounding once to the \
        output dtype; with --all and uniform weights a sliding sum reads each checkpoint at most twice per tensor. \
        Writes <output>/checkpoint-<step>/ with model.safetensors, config.json, tokenizer files and \
        kasane_average.json.
        """)

    @Option(help: "Checkpoint folder of the run (checkpoint-N, iter_NNNNNNN, stepN, ... subfolders) or a list file.")
    var checkpoints: String
    @Option(help: "Window size n.") var window: Int
    @Option(help: "Window alignment: trailing (t−n+1…t) or centred.") var align: WindowAlignment = .trailing
    @Option(help: "Member weights: uniform, linear (newest weighs most), or ema:α.") var weights: AveragingWeights = .uniform
    @Option(help: "Steps to average at, comma-separated.") var at: StepList?
    @Flag(help: "Average at every step with a full window.") var all = false
    @Option(help: "Output dtype (f32, f16, bf16); default: each tensor's source dtype.") var dtype: DType?
    @Option(help: "Output folder.") var output: String

    func validate() throws {
        guard (at != nil) != all else { throw ValidationError("give exactly one of --at STEP[,STEP...] and --all") }
        guard window >= 1 else { throw ValidationError("--window: must be at least 1") }
    }

    func run() async throws {
        let averaging = CheckpointAveraging(checkpoints: try CheckpointIndex(path: checkpoints).checkpoints,
                                            window: CheckpointWindow(size: window, alignment: align),
                                            weights: weights, dtype: dtype)
        let started = Date()
        let (folders, stats) = try averaging.write(at: at?.steps, output: output) { print($0) }
        for folder in folders { print(folder) }
        print(stats.line(models: folders.count, seconds: Date().timeIntervalSince(started)))
    }
}
