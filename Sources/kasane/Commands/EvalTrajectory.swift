import ArgumentParser
import Evaluation
import Foundation
import Llama
import Tokenizers
import Trajectory

/// `kasane eval` options for trajectory runs and the SQLite result store.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Evaluate every checkpoint of a run, one at a time: a folder of checkpoint folders (checkpoint-N, iter_N, stepN, step-N, global_stepN) or a list file of 'path step' lines.",
        valueName: "dir"))
    var checkpoints: String?

    @Option(help: ArgumentHelp("SQLite result store; a rerun skips every example it already holds.", valueName: "file"))
    var db: String?

    @Option(help: ArgumentHelp("Only checkpoints with steps in A..B (inclusive), every stride steps from A.", valueName: "A:B[:stride]"))
    var steps: String?

    @Option(name: .customLong("last-fraction"), help: ArgumentHelp("Only the last fraction of the checkpoints (0.2, 1/5 or 20%).", valueName: "p"))
    var lastFraction: String?

    @Flag(help: "Hash every checkpoint file in full (SHA-256) before evaluating it.")
    var verify = false

    @Option(help: ArgumentHelp("Append timings per checkpoint and dataset to this file.", valueName: "file"))
    var log: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("Run name in the store (default: the checkpoint folder's absolute path).", valueName: "name"))
    var runName: String?

    @Option(help: ArgumentHelp("Training step recorded for a single --model written to --db (default: from its folder name).", valueName: "n"))
    var step: Int?

    @Option(name: .customLong("average-window"), help: ArgumentHelp(
        "Evaluate, at each selected checkpoint, the average of the weights of n neighbouring checkpoints (in memory, nothing written) instead of the checkpoint itself; stored as kind 'average'.",
        valueName: "n"))
    var averageWindow: Int?

    @Option(help: ArgumentHelp("With --average-window: window alignment, trailing (t−n+1…t) or centred.", valueName: "align"))
    var align: String = "trailing"

    @Option(name: .customLong("average-weights"), help: ArgumentHelp("With --average-window: uniform, linear or ema:α.", valueName: "w"))
    var averageWeights: String = "uniform"

    @Option(help: ArgumentHelp("Store journal: wal (many writers on one host) or rollback (one writer; for shard stores on NFS or Lustre).", valueName: "mode"))
    var journal: ResultStore.Journal = .wal

    /// True when the store path is taken instead of the single-model report.
    var isActive: Bool { checkpoints != nil || db != nil }
}

/// Trajectory mode of `kasane eval`: discovery, selection, and the runner writing into the store.
enum EvalTrajectory {
    /// Evaluates the selected checkpoints (or the single `model`) into the store, one model in memory at a time.
    /// The tokenizer (`tokenizer`, else the first checkpoint's folder) is loaded once for the whole run.
    static func run(_ options: StoreOptions, model: String?, evalsets: String, evalOptions: EvalOptions,
                    tokenizer: String?, quiet: Bool) throws {
        guard let db = options.db else { throw ValidationError("--checkpoints needs --db (the result store)") }
        var (source, selected, runName) = try selectCheckpoints(options, model: model)
        guard let tokenizer = tokenizer ?? selected.first?.path else { throw ValidationError("no tokenizer: give --tokenizer") }
        let averaged = try averagedPlan(options)
        if let averaged {
            selected = averaged.targets(selected)
            guard !selected.isEmpty else {
                throw ValidationError("--average-window \(averaged.averaging.window.size): no selected checkpoint has a full window")
            }
        }
        let suite = try loadEvalSuite(root: evalsets, options: evalOptions)
        let store = try ResultStore(path: db, journal: options.journal)
        let settings = EvaluationBridge.settings(evalOptions, tokenizerSHA256: try tokenizerHash(tokenizer))
        let loadedTokenizer = try Tokenizer.load(path: tokenizer)
        let backend = EvaluationBackend(suite: suite, options: evalOptions) { checkpoint in
            let model: LlamaModel
            if let averaged {
                // Members share one config (the averager checks it); the averaged model is built in memory.
                let config = try LlamaConfig.load(path: checkpoint.path)
                model = try LlamaModel(config: config, weights: try averaged.weights(for: checkpoint))
            } else {
                model = try LlamaModel(directory: checkpoint.path)
            }
            return try LlamaBackend(model: model, tokenizer: loadedTokenizer)
        }
        var variant: (@Sendable (Checkpoint) throws -> ModelSpec)? = nil
        if let averaged { variant = { try averaged.modelSpec(for: $0) } }
        let log = try RunLog(path: options.log)
        if !quiet {
            say("\(selected.count) checkpoint\(selected.count == 1 ? "" : "s") × \(suite.count) datasets"
                  + " (\(suite.reduce(0) { $0 + $1.samples.count }) examples each) → \(db)")
        }
        let live = LiveLine(enabled: !quiet)
        let runner = TrajectoryRunner(
            store: store, backend: backend,
            options: .init(runName: runName, source: source, settings: settings, verify: options.verify,
                           variant: variant),
            log: log,
            progress: { line in
                if !quiet { live.clear(); say(line.line) }
            },
            notice: { FileHandle.standardError.write(Data("note: \($0)\n".utf8)) })
        runner.batchStatus = { live.show($0) }
        let summary = try runner.run(selected)
        live.clear()
        if !quiet {
            say("done: \(summary.evaluatedExamples) examples evaluated, \(summary.skippedExamples) already stored,"
                  + " \(CheckpointProgress.duration(summary.seconds)); run '\(summary.run.name)' in \(db)")
        }
    }

    /// The averaging plan over the whole run (window members may lie outside the selection), or nil.
    static func averagedPlan(_ options: StoreOptions) throws -> AveragedModelPlan? {
        guard let size = options.averageWindow else { return nil }
        guard let folder = options.checkpoints else { throw ValidationError("--average-window needs --checkpoints") }
        guard size >= 1 else { throw ValidationError("--average-window: must be at least 1 (found \(size))") }
        guard let alignment = WindowAlignment(parsing: options.align) else {
            throw ValidationError("--align: '\(options.align)' is not valid (expected trailing or centred)")
        }
        return AveragedModelPlan(checkpoints: try CheckpointIndex(path: folder).checkpoints,
                                 window: CheckpointWindow(size: size, alignment: alignment),
                                 weights: try AveragingWeights(parsing: options.averageWeights))
    }

    /// The checkpoints to evaluate, the run's source and its name.
    static func selectCheckpoints(_ options: StoreOptions, model: String?) throws -> (String, [Checkpoint], String) {
        if let folder = options.checkpoints {
            let index = try CheckpointIndex(path: folder)
            let steps = try options.steps.map(StepRange.init(parsing:))
            let fraction = try options.lastFraction.map(LastFraction.init(parsing:))
            let source = absolute(folder)
            return (source, try index.select(steps: steps, lastFraction: fraction), options.runName ?? source)
        }
        guard let model else { throw ValidationError("give --model or --checkpoints") }
        if options.steps != nil || options.lastFraction != nil {
            throw ValidationError("--steps and --last-fraction select among --checkpoints")
        }
        // A checkpoint folder named like checkpoint-N joins the run of its parent folder.
        let path = absolute(model)
        let name = (path as NSString).lastPathComponent
        if let (scheme, parsed) = CheckpointNaming.parse(name) {
            let parent = (path as NSString).deletingLastPathComponent
            return (parent, [Checkpoint(step: options.step ?? parsed, path: path, naming: scheme)], options.runName ?? parent)
        }
        return (path, [Checkpoint(step: options.step ?? 0, path: path)], options.runName ?? path)
    }

    static func tokenizerHash(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        var file = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = (path as NSString).appendingPathComponent("tokenizer.json")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("\(file): cannot read the tokenizer")
        }
        return SHA256.hex(data)
    }

    static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }
}

extension ResultStore.Journal: ExpressibleByArgument {}

/// Unbuffered stdout line: progress shows up at once even when piped to a file.
private func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// A status line on stderr that each update overwrites; cleared before a permanent line is printed.
final class LiveLine: @unchecked Sendable {
    let enabled: Bool
    private var width = 0
    init(enabled: Bool) { self.enabled = enabled && isatty(2) != 0 }
    func show(_ text: String) {
        guard enabled else { return }
        let padded = text.count < width ? text + String(repeating: " ", count: width - text.count) : text
        width = text.count
        FileHandle.standardError.write(Data(("\r" + padded).utf8))
    }
    func clear() {
        guard enabled, width > 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8))
        width = 0
    }
}
