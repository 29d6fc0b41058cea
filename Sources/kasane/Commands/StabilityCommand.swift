import ArgumentParser
import Foundation
import Trajectory

/// Options shared by `stability` and `report`.
struct StabilityAnalysisOptions: ParsableArguments {
    @Option(help: "The SQLite result store.")
    var db: String
    @Option(help: "Run name, when the store holds several runs.")
    var run: String?
    @Option(help: "Analyse the last fraction of the checkpoints (exact decimal, e.g. 0.2), or 'all'.")
    var lastFraction: String = "0.2"
    @Option(help: "Analyse the last N checkpoints instead of a fraction.")
    var last: Int?
    @Option(help: "Window sizes to compare (1 = raw checkpoints).")
    var windows: String = "1,2,5,10,20"
    @Option(help: "Window alignment: trailing or centred.")
    var align: WindowAlignment = .trailing
    @Option(help: "IS similarity: exact (identical normalized predictions) or metric (the dataset's main metric).")
    var sim: SimilarityKind = .exact
    @Option(help: "Correctness threshold τ for flips on graded metrics.")
    var threshold: Double = 1.0
    @Option(help: "Bootstrap resamples over examples for confidence intervals and paired tests (0: none).")
    var bootstrap: Int = ExampleStatistics.defaultResamples
    @Option(help: "Seed of the bootstrap resamples.")
    var seed: UInt64 = ExampleStatistics.defaultSeed

    func request() throws -> StabilityRequest {
        let span: AnalysisSpan
        if let last {
            guard last >= 2 else { throw ValidationError("--last: needs at least 2 checkpoints") }
            span = .lastCount(last)
        } else {
            span = try AnalysisSpan.parseFraction(lastFraction)
        }
        let similarity: PredictionSimilarity = sim == .exact ? .exact : MetricSimilarity.similarity
        return StabilityRequest(run: run, span: span, windows: try StabilityRequest.parseWindows(windows),
                                alignment: align,
                                options: StabilityOptions(similarity: similarity, correctnessThreshold: threshold,
                                                          bootstrapResamples: max(0, bootstrap), bootstrapSeed: seed))
    }
}

struct StabilityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stability",
        abstract: "Instability of raw, averaged and ensembled trajectories: mean score, MTV, IS, flip rate, noise.",
        discussion: """
        Compares, for each window size that fits the analysis span, the raw checkpoints with averaged models \
        (evaluated with 'kasane eval --average-window N') and ensembles (stored by 'kasane ensemble', or voted on \
        the fly) over the same positions. Prints the AVG level; --csv/--json export every level and dataset.
        """)

    @OptionGroup var analysis: StabilityAnalysisOptions
    @Option(help: "Write every measure (per method, window, dataset, category, AVG) as CSV.")
    var csv: String?
    @Option(help: "Write the same as JSON.")
    var json: String?
    @Option(help: "Write per-example MTV, IS and flip rate as CSV.")
    var examplesCsv: String?

    func run() async throws {
        let store = try ResultStore(path: analysis.db, readOnly: true)
        let result = try StabilityRunner.run(store: store, request: try analysis.request(),
                                             scorer: ScoringRescorer())
        for (key, value) in result.settings { print("\(key): \(value)") }
        for (name, reason) in result.raw.excluded.sorted(by: { $0.key < $1.key }) {
            print("left out \(name): \(reason)")
        }
        print("")
        print(StabilityExport.text(result.sweep), terminator: "")
        if let csv { try emit(StabilityExport.csv(result.sweep), to: csv) }
        if let examplesCsv { try emit(StabilityExport.examplesCSV(result.sweep), to: examplesCsv) }
        if let json {
            let data = try StabilityExport.json(run: result.run.name,
                                                settings: Dictionary(result.settings, uniquingKeysWith: { a, _ in a }),
                                                rows: result.sweep)
            try emit(String(decoding: data, as: UTF8.self), to: json)
        }
    }
}
