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
        output dtype. With --all, a sliding running sum reads each checkpoint at most twice per tensor (uniform \
        weights; linear/ema re-read each window's members). Memory: one fp64 accumulator, one fp32 read buffer and \
        one fp32 output buffer of the largest tensor. Writes <output>/checkpoint-<step>/ with model.safetensors, \
        config.json, tokenizer files and kasane_average.json.
        """)

    @Option(help: "Checkpoint folder of the run (checkpoint-N, iter_NNNNNNN, stepN, ... subfolders) or a list file.")
    var checkpoints: String
    @Option(help: "Window size n.")
    var window: Int
    @Option(help: "Window alignment: trailing (t−n+1…t) or centred.")
    var align: WindowAlignment = .trailing
    @Option(help: "Member weights: uniform, linear (newest weighs most), or ema:α.")
    var weights: AveragingWeights = .uniform
    @Option(help: "Steps to average at, comma-separated.")
    var at: String?
    @Flag(help: "Average at every step with a full window.")
    var all = false
    @Option(help: "Output dtype (f32, f16, bf16); default: each tensor's source dtype.")
    var dtype: DType?
    @Option(help: "Output folder.")
    var output: String

    func validate() throws {
        guard (at != nil) != all else {
            throw ValidationError("give exactly one of --at STEP[,STEP...] and --all")
        }
        guard window >= 1 else { throw ValidationError("--window: must be at least 1") }
    }

    func run() async throws {
        var steps: [Int]?
        if let at {
            let parts = at.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let values = parts.compactMap { Int($0) }
            guard !values.isEmpty, values.count == parts.count else {
                throw ValidationError("--at: '\(at)' is not a comma-separated list of steps")
            }
            steps = values
        }
        let index = try CheckpointIndex(path: checkpoints)
        let averaging = CheckpointAveraging(
            checkpoints: index.checkpoints,
            window: CheckpointWindow(size: window, alignment: align),
            weights: weights,
            dtype: dtype)
        let started = Date()
        let (folders, stats) = try averaging.write(at: steps, output: output) { print($0) }
        for folder in folders { print(folder) }
        let maxReads = stats.readsPerCheckpoint.values.max() ?? 0
        print(String(format: "%d model(s) in %.1f s; read %.1f MB; at most %d tensor reads of one checkpoint; "
                     + "largest tensor %d elements", folders.count, Date().timeIntervalSince(started),
                     Double(stats.bytesRead) / 1e6, maxReads, stats.largestTensor))
    }
}
