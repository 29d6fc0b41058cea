import ArgumentParser

struct EnsembleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble", abstract: "Majority vote over neighbouring checkpoints' predictions (arrives with issue 6)")

    func run() async throws {
        throw ValidationError("'kasane ensemble' is not implemented yet (issue 6)")
    }
}
