import ArgumentParser

struct AverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "average", abstract: "Average the weights of neighbouring checkpoints (arrives with issue 6)")

    func run() async throws {
        throw ValidationError("'kasane average' is not implemented yet (issue 6)")
    }
}
