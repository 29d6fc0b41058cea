import ArgumentParser

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a result store as CSV, JSONL or lm-eval files (arrives with issue 5)")

    func run() async throws {
        throw ValidationError("'kasane export' is not implemented yet (issue 5)")
    }
}
