import ArgumentParser
import Linalg

@main
struct Kasane: AsyncParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "kasane",
        abstract: "Evaluate every checkpoint of an LLM pretraining run, measure instability, average and ensemble.",
        version: version,
        subcommands: [DoctorCommand.self, ForwardCommand.self, GenerateCommand.self, TokenizeCommand.self,
                      EvalCommand.self, SlurmCommand.self, MergeCommand.self, StatusCommand.self, ExportCommand.self,
                      AverageCommand.self, EnsembleCommand.self, StabilityCommand.self, ReportCommand.self,
                      ScoreCommand.self, RescoreCommand.self, DriftCommand.self, SweepCommand.self,
                      WorldCommand.self, PretrainCommand.self])

    /// Fixes OpenBLAS's kernel choice (may re-exec the process once) before anything else runs.
    static func main() async {
        BLAS.ensureFastCore()
        await main(nil)
    }
}
