import ArgumentParser
import Trajectory


struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a result store as CSV, JSONL or lm-evaluation-harness files.",
        discussion: """
        csv / jsonl: predictions (one row per model × dataset × example), scores (per model × dataset) and \
        aggregates (categories and AVG per model). lm-eval: one folder per model with results_<date>.json and \
        samples_<dataset>_<date>.jsonl in lm-evaluation-harness's layout.
        """)

    @Option(name: .long, help: "The SQLite result store.")
    var db: String
    @Option(name: .long, help: "csv, jsonl or lm-eval.")
    var format: ExportFormat
    @Option(name: .long, help: "Output folder (created if missing).")
    var output: String
    @Option(name: .long, help: "Only this run (default: every run).")
    var run: String?

    func run() async throws {
        let store = try ResultStore(path: db, readOnly: true)
        let runs = try run.map { [try store.run(named: $0)] } ?? store.runs()
        let written = try StoreExporter(store: store, runs: runs).export(format, to: output)
        print("wrote \(written.count) file\(written.count == 1 ? "" : "s") to \(output)")
    }
}
