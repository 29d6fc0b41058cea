import ArgumentParser
import Trajectory

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.md, CSV tables and a self-contained report.html with SVG plots.")

    @OptionGroup var analysis: StabilityAnalysisOptions
    @Option(help: "Output folder.") var output: String

    func run() async throws {
        let input = try ReportInput(db: analysis.store.db, request: try analysis.request())
        for path in try ReportWriter.write(input, to: output) { print(path) }
    }
}
