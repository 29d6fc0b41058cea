import ArgumentParser
import Trajectory

struct EnsembleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ensemble", abstract:
        "Vote over neighbouring checkpoints' stored predictions (ties to the newest); scored and stored as ensembles.")

    @OptionGroup var store: RunInStoreOptions
    @Option(help: "Window size(s), e.g. 5 or 2,5,10.") var window: WindowSizes
    @Option(help: "trailing or centred.") var align: WindowAlignment = .trailing
    @Option(help: "majority (one vote per checkpoint) or confidence (weighed by exp(mean token log-prob)).")
    var vote: EnsembleVote = .majority

    func run() async throws {
        try EnsembleRun.run(db: store.db, run: store.run, sizes: window.sizes, alignment: align,
                            vote: vote).lines.forEach { print($0) }
    }
}
