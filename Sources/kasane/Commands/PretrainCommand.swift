import ArgumentParser

struct PretrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain", abstract: "Pretrain a tiny LLaMA and write a checkpoint trajectory (arrives with issue 7)")

    func run() async throws {
        throw ValidationError("'kasane pretrain' is not implemented yet (issue 7)")
    }
}
