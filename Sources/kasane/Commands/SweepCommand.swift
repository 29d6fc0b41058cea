import ArgumentParser
import Trajectory

struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Raw, averaged and ensembled trajectories at every window over an analysis span, their stability and cost.",
        discussion: """
        Evaluates the span's checkpoints, averaged models (in memory) at every window, votes ensembles at the same \
        windows, and prints the stability table and a cost table. Windows lie inside the span. Everything is kept \
        in --db, so a rerun does only what is missing. --report writes the report of the sweep.
        """)

    @Option(help: ArgumentHelp("The run's checkpoint folder or list file.", valueName: "dir")) var checkpoints: String
    @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
    @Option(help: "The SQLite result store.") var db: String
    @Option(help: "Window sizes, e.g. 2,5,10,20.") var windows = WindowSizes([2, 5, 10, 20])
    @OptionGroup var span: RunSpanOptions
    @OptionGroup var statistics: StatisticsOptions
    @Option(help: "Also write the report (report.html, report.md, figures) into this folder.") var report: String?
    @Flag(help: "No progress lines.") var quiet = false

    func run() async throws {
        let request = SweepRequest(
            checkpoints: checkpoints, setup: evaluation.setup, db: db, runName: span.run, windows: windows.sizes,
            steps: span.steps, lastFraction: span.lastFraction,
            options: StabilityOptions(bootstrapResamples: statistics.bootstrap, bootstrapSeed: statistics.seed))
        let console = Console(quiet: quiet)
        let result = try WindowSweep.run(request, events: console.events, say: console.say)
        console.clear()
        print(result.text, terminator: "")
        guard let report else { return }
        try result.writeReport(to: report).forEach { print($0) }
    }
}
