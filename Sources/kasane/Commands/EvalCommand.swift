import ArgumentParser
import Evaluation
import Foundation
import Trajectory

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate checkpoints on llm-jp-eval v1.4.1 datasets (4-shot prompts, greedy decoding, v1.4.1 scoring).",
        discussion: """
            Reads <evalsets>/evaluation/<split>/<name>.json (or <evalsets>/<version>/evaluation/...) and scores the \
            first --max-samples samples of each dataset with --shots examples from the train split. Every result \
            goes into the SQLite store (--db; with --model --output, OUT/results.sqlite), so a rerun evaluates only \
            what is missing. --output also writes OUT/predictions.jsonl and OUT/scores.json for one --model. See \
            docs/EVALUATION.md for the choices made where llm-jp-eval v1.4.1 is ambiguous.
            """)

    @OptionGroup(title: "Checkpoints") var selection: SelectionOptions
    @OptionGroup(title: "Evaluation") var evaluation: EvaluationOptions
    @OptionGroup(title: "Result store") var store: StoreOptions
    @OptionGroup(title: "Averaged models") var averaging: AveragingOptions
    @Option(help: "With --model: also write predictions.jsonl and scores.json into this folder.")
    var output: String?
    @Flag(help: "No progress lines.")
    var quiet = false

    func validate() throws {
        guard store.db != nil || output != nil else { throw ValidationError("give --db (the result store) or --output") }
        if output != nil, selection.model == nil { throw ValidationError("--output writes the files of one --model") }
    }

    /// The store is --db, or for a single model written to --output, OUT/results.sqlite.
    var request: TrajectoryRequest {
        let db = store.db ?? ((output ?? ".") as NSString).appendingPathComponent("results.sqlite")
        return TrajectoryRequest(models: selection.selection, evalsets: evaluation.evalsets,
                                 evalOptions: evaluation.evalOptions, db: db, tokenizer: evaluation.tokenizer,
                                 journal: store.journal, runName: selection.runName, verify: store.verify,
                                 log: store.log, averaging: averaging.request, comet: evaluation.comet)
    }

    func run() async throws {
        let request = request
        if let output { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }
        let started = Date()
        let live = StatusLine(enabled: !quiet)
        let events = TrajectoryEvents(
            checkpoint: { if !quiet { live.clear(); say($0.line) } },
            batch: { live.show($0) },
            notice: { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) })
        let summary = try TrajectoryEvaluation.run(request, events: events) { if !quiet { say($0.line) } }
        live.clear()
        if !quiet {
            say("done: \(summary.evaluatedExamples) examples evaluated, \(summary.skippedExamples) already stored,"
                + " \(DurationText.format(summary.seconds)); run '\(summary.run.name)' in \(request.db)")
        }
        guard let output, let model = summary.models.first else { return }
        let report = try ModelReport(request: request, model: model, kasaneVersion: KasaneVersion.string,
                                     startedAt: started)
        try report.write(to: output)
        print(report.summary)
        print("wrote \(output)/predictions.jsonl and \(output)/scores.json")
    }
}
