import ArgumentParser

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show what a result store holds and what remains (arrives with issue 5)")

    func run() async throws {
        throw ValidationError("'kasane status' is not implemented yet (issue 5)")
    }
}
