import Foundation

/// `kasane ensemble`: votes windows of a stored run's raw predictions and stores each ensemble position.
public enum EnsembleRun {
    public struct Window: Sendable {
        public var window: CheckpointWindow
        public var vote: EnsembleVote
        /// Steps of the stored ensemble positions (empty when no position has a full window).
        public var steps: [Int]
        /// Mean over datasets of the share of votes the tie-break decided.
        public var tieBreakShare: Double
        public var checkpoints: Int

        public var line: String {
            let name = "ensemble n=\(window.size) \(window.alignment.rawValue)" + (vote == .majority ? "" : " (\(vote.rawValue) vote)")
            guard let first = steps.first, let last = steps.last else {
                return "\(name): no position has a full window (\(checkpoints) checkpoints)"
            }
            return "\(name): \(steps.count) positions stored, steps \(first)–\(last)"
                + String(format: ", %.1f%% of votes decided by the tie-break", tieBreakShare * 100)
        }
    }

    /// What `run` stored: the datasets left out (with why) and one summary per window.
    public struct Result: Sendable {
        public var excluded: [String: String]
        public var windows: [Window]

        /// `kasane ensemble`'s printout.
        public var lines: [String] { LoadedTrajectory.leftOutLines(excluded) + windows.map(\.line) }
    }

    /// Windows of size 1 are the raw checkpoints themselves and are skipped.
    public static func run(db: String, run: String?, sizes: [Int], alignment: WindowAlignment,
                           vote: EnsembleVote = .majority) throws -> Result {
        let store = try ResultStore(path: db)
        let storedRun = try store.run(named: run)
        let raw = try StoreTrajectoryLoader.load(store: store, run: storedRun.id)
        var windows: [Window] = []
        for n in sizes where n > 1 {
            let window = CheckpointWindow(size: n, alignment: alignment)
            let result = try EnsembleBuilder.build(raw: raw.table, window: window, scorer: ScoringRescorer(), vote: vote)
            let models = try EnsembleRecorder.record(result, raw: raw, store: store, run: storedRun.id)
            let ties = result.tieBreakFraction.values
            windows.append(Window(window: window, vote: vote, steps: models.map(\.step),
                                  tieBreakShare: ties.isEmpty ? 0 : ties.reduce(0, +) / Double(ties.count),
                                  checkpoints: raw.table.steps.count))
        }
        return Result(excluded: raw.excluded, windows: windows)
    }
}
