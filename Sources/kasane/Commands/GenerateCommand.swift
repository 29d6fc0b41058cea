import ArgumentParser

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Greedy generation (arrives with issue 2)")

    func run() async throws {
        throw ValidationError("'kasane generate' is not implemented yet (issue 2)")
    }
}
