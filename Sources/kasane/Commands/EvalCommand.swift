import ArgumentParser

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Run llm-jp-eval v1.4.1-style evaluation (arrives with issue 4)")

    func run() async throws {
        throw ValidationError("'kasane eval' is not implemented yet (issue 4)")
    }
}
