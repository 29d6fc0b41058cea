import ArgumentParser
import Trajectory

/// Options shared by `stability` and `report`.
struct StabilityAnalysisOptions: ParsableArguments {
    @OptionGroup var store: RunInStoreOptions
    @Option(help: "Analyse the last fraction of the checkpoints (exact decimal, e.g. 0.2), or 'all'.")
    var lastFraction: String = "0.2"
    @Option(help: "Analyse the last N checkpoints instead of a fraction.") var last: Int?
    @Option(help: ArgumentHelp("Analyse the checkpoints with steps in A..B instead.", valueName: "A:B")) var steps: StepRange?
    @Flag(help: "Windows only over the span's checkpoints (as kasane sweep evaluates them).") var windowsInsideSpan = false
    @Option(help: "Window sizes to compare (1 = raw checkpoints).") var windows = WindowSizes([1, 2, 5, 10, 20])
    @Option(help: "Window alignment: trailing or centred.") var align: WindowAlignment = .trailing
    @Option(help: "IS similarity: exact (identical normalized predictions) or metric (the dataset's main metric).")
    var sim: SimilarityKind = .exact
    @Option(help: "Correctness threshold τ for flips on graded metrics.") var threshold: Double = 1.0
    @OptionGroup var statistics: StatisticsOptions

    func request() throws -> StabilityRequest {
        StabilityRequest(run: store.run, span: try StabilityRequest.span(steps: steps, last: last, lastFraction: lastFraction),
                         windows: windows.sizes, alignment: align,
                         options: StabilityOptions(similarity: sim.similarity, correctnessThreshold: threshold,
                                                   bootstrapResamples: statistics.bootstrap, bootstrapSeed: statistics.seed),
                         windowsInsideSpan: windowsInsideSpan)
    }
}

struct StabilityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stability",
        abstract: "Instability of raw, averaged and ensembled trajectories: mean score, MTV, IS, flip rate, noise.",
        discussion: """
        Compares, for each window size that fits the analysis span, the raw checkpoints with averaged models \
        ('kasane eval --average-window N') and ensembles ('kasane ensemble', or voted on the fly) over the same \
        positions. Prints the AVG level; --csv/--json export every level and dataset.
        """)

    @OptionGroup var analysis: StabilityAnalysisOptions
    @Option(help: "Write every measure (per method, window, dataset, category, AVG) as CSV.") var csv: String?
    @Option(help: "Write the same as JSON.") var json: String?
    @Option(help: "Write per-example MTV, IS and flip rate as CSV.") var examplesCsv: String?

    func run() async throws {
        let result = try StabilityRunner.run(db: analysis.store.db, request: try analysis.request())
        print(result.text, terminator: "")
        try result.write(csv: csv, json: json, examplesCSV: examplesCsv)
    }
}
