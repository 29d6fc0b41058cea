import ArgumentParser

struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward", abstract: "Run the forward pass and print logits as JSON (arrives with issue 2)")

    func run() async throws {
        throw ValidationError("'kasane forward' is not implemented yet (issue 2)")
    }
}
