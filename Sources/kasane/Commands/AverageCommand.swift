import ArgumentParser
import SafeTensors
import Trajectory

struct AverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "average", abstract:
        "Average neighbouring checkpoints' weights (streamed, fp64 sums) into Hugging Face checkpoint folders.")

    @Option(help: "The run's checkpoint folder or list file.") var checkpoints: String
    @Option(help: "Window size n.") var window: Int
    @Option(help: "trailing (t−n+1…t) or centred.") var align: WindowAlignment = .trailing
    @Option(help: "uniform, linear (newest weighs most) or ema:α.") var weights: AveragingWeights = .uniform
    @Option(help: "Steps to average at, comma-separated.") var at: StepList?
    @Flag(help: "Average at every step with a full window.") var all = false
    @Option(help: "Output dtype (default: each tensor's own).") var dtype: DType?
    @Option(help: "Output folder (one checkpoint-<step>/ per average).") var output: String

    func validate() throws {
        guard (at != nil) != all else { throw ValidationError("give exactly one of --at STEP[,STEP...] and --all") }
    }

    func run() async throws {
        let averaging = try CheckpointAveraging(run: checkpoints, window: CheckpointWindow(size: window, alignment: align),
                                                weights: weights, dtype: dtype)
        try averaging.write(at: at?.steps, output: output) { print($0) }.lines.forEach { print($0) }
    }
}
