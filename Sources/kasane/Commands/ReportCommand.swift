import ArgumentParser
import Foundation
import Trajectory

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.md, CSV tables and a self-contained report.html with SVG plots.")

    @OptionGroup var analysis: StabilityAnalysisOptions
    @Option(help: "Output folder.")
    var output: String

    func run() async throws {
        let store = try ResultStore(path: analysis.db, readOnly: true)
        let request = try analysis.request()
        let result = try StabilityRunner.run(store: store, request: request, scorer: ScoringRescorer())
        let input = ReportInput(runName: result.run.name, settings: result.settings, raw: result.raw.table,
                                averaged: result.averaged, ensembles: result.ensembles, sweep: result.sweep,
                                excluded: result.raw.excluded,
                                correctnessThreshold: request.options.correctnessThreshold,
                                drift: try store.drift(runName: result.run.name),
                                costs: try SweepCosts.load(store: store, result: result))
        for path in try ReportWriter.write(input, to: output) { print(path) }
    }
}
