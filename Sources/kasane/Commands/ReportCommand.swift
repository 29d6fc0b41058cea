import ArgumentParser

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the Markdown/CSV/HTML report (arrives with issue 6)")

    func run() async throws {
        throw ValidationError("'kasane report' is not implemented yet (issue 6)")
    }
}
