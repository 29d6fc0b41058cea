import ArgumentParser
import Trajectory

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Parameter drift between consecutive checkpoints: ‖Δθ‖₂, ‖Δθ‖/‖θ‖ and the cosine of successive updates.",
        discussion: """
        Streams one tensor at a time (each checkpoint read once) and accumulates in float64, for all tensors, per \
        group (embeddings, attention, mlp, norms, lm_head) and per layer. With --db the measures are stored beside \
        the run's results (run name as kasane eval names it).
        """)

    @Option(help: ArgumentHelp("The run's checkpoint folder or list file.", valueName: "dir")) var checkpoints: String
    @OptionGroup var span: SpanOptions
    @Option(help: "Record the measures in this result store.") var db: String?
    @Option(help: "Run name in the store (default: the checkpoint folder's absolute path).") var run: String?
    @Option(help: "Write every measure as JSON.") var json: String?
    @Option(help: "Write every measure as CSV, one row per pair and scope.") var csv: String?

    func run() async throws {
        let request = DriftRequest(checkpoints: checkpoints, steps: span.steps, lastFraction: span.lastFraction, db: db,
                                   runName: run)
        let pairs = try request.run()
        print(DriftExport.text(pairs), terminator: "")
        if let json { try OutputFile.write(DriftExport.json(pairs), to: json) }
        if let csv { try OutputFile.write(DriftExport.csv(pairs), to: csv) }
    }
}
