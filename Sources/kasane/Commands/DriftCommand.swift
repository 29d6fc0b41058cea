import ArgumentParser
import Trajectory

struct DriftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drift", abstract:
        "Parameter drift between consecutive checkpoints (‖Δθ‖₂, ‖Δθ‖/‖θ‖, update cosine), overall, per group and layer.")

    @Option(help: ArgumentHelp("The run's checkpoint folder or list file.", valueName: "dir")) var checkpoints: String
    @OptionGroup var span: RunSpanOptions
    @Option(help: "Record the measures in this result store.") var db: String?
    @Option(help: "Write every measure as JSON.") var json: String?
    @Option(help: "Write every measure as CSV, one row per pair and scope.") var csv: String?

    func run() async throws {
        let pairs = try DriftRequest(checkpoints: checkpoints, steps: span.steps, lastFraction: span.lastFraction, db: db,
                                     runName: span.run).run()
        print(DriftExport.text(pairs), terminator: "")
        try DriftExport.write(pairs, json: json, csv: csv)
    }
}
