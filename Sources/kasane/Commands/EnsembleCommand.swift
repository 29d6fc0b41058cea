import ArgumentParser
import Trajectory

struct EnsembleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Majority vote over neighbouring checkpoints' stored predictions, scored and stored as ensemble entries.",
        discussion: """
        For every example, the winner is the most frequent normalized prediction among the window's checkpoints; \
        ties go to the most recent checkpoint in the window. With --vote confidence each checkpoint's vote weighs \
        exp(mean token log-prob of its prediction) instead (the stored log-probs; ties again to the most recent). \
        No forward pass is needed. Positions without a full window are skipped.
        """)

    @OptionGroup var store: RunInStoreOptions
    @Option(help: "Window size(s), e.g. 5 or 2,5,10.") var window: String
    @Option(help: "Window alignment: trailing or centred.") var align: WindowAlignment = .trailing
    @Option(help: "Vote: majority (one vote per checkpoint) or confidence (weighted by exp(mean token log-prob)).")
    var vote: EnsembleVote = .majority

    func run() async throws {
        let result = try EnsembleRun.run(db: store.db, run: store.run, sizes: try StabilityRequest.parseWindows(window),
                                         alignment: align, vote: vote)
        for (name, reason) in result.excluded { print("left out \(name): \(reason)") }
        for window in result.windows { print(window.line) }
    }
}
