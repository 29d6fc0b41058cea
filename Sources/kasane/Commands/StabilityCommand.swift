import ArgumentParser

struct StabilityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stability", abstract: "Instability metrics (MTV, IS, flips, noise) (arrives with issue 6)")

    func run() async throws {
        throw ValidationError("'kasane stability' is not implemented yet (issue 6)")
    }
}
