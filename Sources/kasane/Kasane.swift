import ArgumentParser

@main
struct Kasane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kasane",
        abstract: "Evaluate every checkpoint of an LLM pretraining run, measure instability, average and ensemble.",
        version: KasaneVersion.string,
        subcommands: [
            DoctorCommand.self, ForwardCommand.self, GenerateCommand.self, TokenizeCommand.self,
            EvalCommand.self, StatusCommand.self, ExportCommand.self,
            AverageCommand.self, EnsembleCommand.self, StabilityCommand.self, ReportCommand.self,
            WorldCommand.self, PretrainCommand.self,
        ]
    )
}

enum KasaneVersion {
    static let string = "0.1.0"
}
