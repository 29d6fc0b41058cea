import ArgumentParser
import Evaluation
import Trajectory

struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rescore", abstract:
        "Rescore a run's stored predictions under another BLEU mode (the run's setting follows); prints what changed.")

    @OptionGroup var store: RunInStoreOptions
    @Option(help: BleuMode.help) var bleu: BleuMode = .sacrebleu

    func run() async throws {
        try StoreRescoring.rescore(db: store.db, run: store.run, bleu: bleu).lines().forEach { print($0) }
    }
}
