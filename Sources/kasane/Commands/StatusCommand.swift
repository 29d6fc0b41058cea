import ArgumentParser
import Trajectory

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what a result store holds and what remains to evaluate.",
        discussion: """
        For each run in the store: its settings and datasets, every registered checkpoint with its stored \
        predictions and AVG, partial and not-started checkpoints, and averaged/ensembled variants. With \
        --checkpoints, checkpoints on disk that the store has not seen yet are listed too.
        """)

    @Option(name: .long, help: "The SQLite result store.")
    var db: String
    @Option(name: .long, help: "Only this run (default: every run).")
    var run: String?
    @Option(name: .long, help: "Checkpoint folder (or list file) to compare with the store.")
    var checkpoints: String?

    func run() async throws {
        let store = try ResultStore(path: db, readOnly: true)
        var runs = try store.runs()
        if let name = run { runs = [try store.run(named: name)] }
        if runs.isEmpty { print("\(db): no runs yet"); return }
        let onDisk = try checkpoints.map { try CheckpointIndex(path: $0).checkpoints }
        print("\(db): schema version \(ResultStore.schemaVersion), \(runs.count) run\(runs.count == 1 ? "" : "s")")
        for r in runs { print(try RunStatus(store: store, run: r, checkpoints: onDisk).render()) }
    }
}
