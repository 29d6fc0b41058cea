import ArgumentParser
import Evaluation
import Trajectory

struct RescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Recompute a run's stored scores under another BLEU mode from its stored predictions, without a model.",
        discussion: """
        Every dataset score, per-example value and category/AVG of the run's models (raw, averaged, ensembled) is \
        recomputed in one transaction, and the run's stored settings take the new mode: `eval` with that mode then \
        resumes into the run, and `merge` refuses shards made under the old one. Prints what changed.
        """)

    @OptionGroup var store: RunInStoreOptions
    @Option(help: "BLEU: sacrebleu (corpus BLEU) or llm-jp-eval-compat (v1.4.1's per-sample call).")
    var bleu: BleuMode = .sacrebleu

    func run() async throws {
        for line in try StoreRescoring.rescore(db: store.db, run: store.run, bleu: bleu).lines() { print(line) }
    }
}
