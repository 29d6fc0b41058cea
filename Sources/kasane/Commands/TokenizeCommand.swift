import ArgumentParser

struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Encode or decode with a Hugging Face tokenizer.json (arrives with issue 3)")

    func run() async throws {
        throw ValidationError("'kasane tokenize' is not implemented yet (issue 3)")
    }
}
