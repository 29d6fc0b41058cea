import ArgumentParser
import Trajectory

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract:
        "Show what a result store holds per run and checkpoint, and what remains to evaluate.")

    @OptionGroup var store: RunInStoreOptions
    @Option(help: "Also list the checkpoints of this folder (or list file) that the store has not seen.")
    var checkpoints: String?

    func run() async throws {
        try RunStatus.report(db: store.db, run: store.run, checkpoints: checkpoints).forEach { print($0) }
    }
}
