import ArgumentParser
import Foundation
import Trajectory

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract:
        "Evaluate checkpoints on llm-jp-eval v1.4.1 datasets into a result store; a rerun does only what is missing.",
        discussion: "See docs/EVALUATION.md.")

    @OptionGroup(title: "Checkpoints") var selection: SelectionOptions
    @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
    @OptionGroup(title: "Result store") var store: StoreOptions
    @OptionGroup(title: "Averaged models") var averaging: AveragingOptions
    @Option(help: "With --model: also write predictions.jsonl and scores.json into this folder.") var output: String?
    @Flag(help: "No progress lines.") var quiet = false

    func validate() throws {
        guard store.db != nil || output != nil else { throw ValidationError("give --db (the result store) or --output") }
        if output != nil, selection.model == nil { throw ValidationError("--output writes the files of one --model") }
    }

    /// The store is --db, or for a single model written to --output, OUT/results.sqlite.
    var request: TrajectoryRequest {
        TrajectoryRequest(models: selection.selection, setup: evaluation.setup,
                          db: store.db ?? ((output ?? ".") as NSString).appendingPathComponent("results.sqlite"),
                          journal: store.journal, runName: selection.span.run, verify: store.verify, log: store.log,
                          averaging: averaging.request)
    }

    func run() async throws {
        if let output { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }
        let started = Date()
        let plan = try TrajectoryPlan(request)
        let console = Console(quiet: quiet)
        console.say(plan.line)
        let summary = try TrajectoryRunner(plan, events: console.events).run(plan.checkpoints)
        console.say(summary.line(db: plan.request.db))
        guard let output, let model = summary.models.first else { return }
        let report = try ModelReport(plan: plan, model: model, kasaneVersion: Kasane.version, startedAt: started)
        try report.write(to: output)
        print(report.summary + "\nwrote \(output)/predictions.jsonl and \(output)/scores.json")
    }
}
