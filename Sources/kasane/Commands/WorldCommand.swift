import ArgumentParser

struct WorldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world", abstract: "Generate the built-in tiny world (corpus, evalsets, tokenizer) (arrives with issue 7)")

    func run() async throws {
        throw ValidationError("'kasane world' is not implemented yet (issue 7)")
    }
}
