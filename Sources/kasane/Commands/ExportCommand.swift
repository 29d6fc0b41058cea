import ArgumentParser
import Trajectory

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract:
        "Export a result store as CSV or JSONL (predictions, scores, aggregates) or lm-evaluation-harness folders.")

    @OptionGroup var store: RunInStoreOptions
    @Option(help: "csv, jsonl or lm-eval.") var format: ExportFormat
    @Option(help: "Output folder (created if missing).") var output: String

    func run() async throws {
        let db = try ResultStore(path: store.db, readOnly: true)
        let written = try StoreExporter(store: db, runs: try store.run.map { [try db.run(named: $0)] } ?? db.runs())
            .export(format, to: output)
        print("wrote \(written.count) file\(written.count == 1 ? "" : "s") to \(output)")
    }
}
