import ArgumentParser
import Trajectory

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract:
        "Export a result store as CSV or JSONL (predictions, scores, aggregates) or lm-evaluation-harness folders.")

    @OptionGroup var store: RunInStoreOptions
    @Option(help: "csv, jsonl or lm-eval.") var format: ExportFormat
    @Option(help: "Output folder (created if missing).") var output: String

    func run() async throws {
        let written = try StoreExporter(db: store.db, run: store.run).export(format, to: output)
        print("wrote \(written.count) file\(written.count == 1 ? "" : "s") to \(output)")
    }
}
