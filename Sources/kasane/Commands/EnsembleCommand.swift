import ArgumentParser
import Foundation
import Trajectory

struct EnsembleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Majority vote over neighbouring checkpoints' stored predictions, scored and stored as ensemble entries.",
        discussion: """
        For every example, the winner is the most frequent normalized prediction among the window's checkpoints; \
        ties go to the most recent checkpoint in the window. No forward pass is needed. Positions without a full \
        window are skipped.
        """)

    @Option(help: "The SQLite result store.")
    var db: String

    @Option(help: "Run name, when the store holds several runs.")
    var run: String?

    @Option(help: "Window size(s), e.g. 5 or 2,5,10.")
    var window: String

    @Option(help: "Window alignment: trailing or centred.")
    var align: WindowAlignment = .trailing

    func run() async throws {
        let alignment = align
        let sizes = try StabilityRequest.parseWindows(window)
        let store = try ResultStore(path: db)
        let storedRun = try store.run(named: run)
        let raw = try StoreTrajectoryLoader.load(store: store, run: storedRun.id)
        for (name, reason) in raw.excluded.sorted(by: { $0.key < $1.key }) { print("left out \(name): \(reason)") }
        for n in sizes where n > 1 {
            let window = CheckpointWindow(size: n, alignment: alignment)
            let result = try EnsembleBuilder.build(raw: raw.table, window: window, scorer: ScoringRescorer())
            let models = try EnsembleRecorder.record(result, raw: raw, store: store, run: storedRun.id)
            let ties = result.tieBreakFraction.values
            let meanTies = ties.isEmpty ? 0 : ties.reduce(0, +) / Double(ties.count)
            guard let first = models.first, let last = models.last else {
                print("ensemble n=\(n) \(alignment.rawValue): no position has a full window (\(raw.table.steps.count) checkpoints)")
                continue
            }
            print("ensemble n=\(n) \(alignment.rawValue): \(models.count) positions stored, steps \(first.step)–\(last.step)"
                  + String(format: ", %.1f%% of votes decided by the tie-break", meanTies * 100))
        }
    }
}
