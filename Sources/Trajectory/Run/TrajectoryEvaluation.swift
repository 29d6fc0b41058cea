import Evaluation
import Foundation
import Llama
import Tokenizers

/// Which models of a run to evaluate.
public enum ModelSelection: Sendable {
    /// Every checkpoint of a run folder (or list file), optionally narrowed to a step range or the last fraction.
    case run(folder: String, steps: StepRange?, lastFraction: LastFraction?)
    /// One checkpoint folder; `step` overrides the step parsed from its name (checkpoint-N, iter_N ...).
    case single(path: String, step: Int?)
}

/// Averaged models in place of the checkpoints: at each selected checkpoint, the average of a window of its
/// neighbours, built in memory (nothing written).
public struct AveragingRequest: Sendable {
    public var window: CheckpointWindow
    public var weights: AveragingWeights
    public init(window: CheckpointWindow, weights: AveragingWeights = .uniform) {
        self.window = window; self.weights = weights
    }
}

/// Everything `kasane eval --db` needs: what to evaluate, on what, and where the results go.
public struct TrajectoryRequest: Sendable {
    public var models: ModelSelection
    /// llm-jp-eval preprocessed data root.
    public var evalsets: String
    public var evalOptions: EvalOptions
    /// tokenizer.json or its folder; default: the first checkpoint's folder. Loaded once for the whole run.
    public var tokenizer: String?
    public var db: String
    public var journal: ResultStore.Journal
    /// Run name in the store; default: the run folder's absolute path.
    public var runName: String?
    /// Full SHA-256 of every checkpoint before it is evaluated.
    public var verify: Bool
    /// Timings per checkpoint and dataset are appended to this file.
    public var log: String?
    public var averaging: AveragingRequest?
    /// A COMET model folder (wmt22-comet-da): comet_wmt22 is computed for the datasets that list it (MT).
    public var comet: String?

    public init(models: ModelSelection, evalsets: String, evalOptions: EvalOptions, db: String,
                tokenizer: String? = nil, journal: ResultStore.Journal = .wal, runName: String? = nil,
                verify: Bool = false, log: String? = nil, averaging: AveragingRequest? = nil, comet: String? = nil) {
        self.models = models; self.evalsets = evalsets; self.evalOptions = evalOptions; self.db = db
        self.tokenizer = tokenizer; self.journal = journal; self.runName = runName; self.verify = verify
        self.log = log; self.averaging = averaging; self.comet = comet
    }
}

/// What a run is about to do, told once before it starts.
public struct TrajectoryPlan: Sendable {
    public var checkpoints: Int
    public var datasets: Int
    /// Examples per model over all datasets.
    public var examplesPerModel: Int
    public var db: String

    public var line: String {
        "\(checkpoints) checkpoint\(checkpoints == 1 ? "" : "s") × \(datasets) datasets (\(examplesPerModel) examples each)"
            + " → \(db)"
    }
}

/// `kasane eval --db`: resolves the request (checkpoints, averaging, datasets, tokenizer, settings) and runs the
/// `TrajectoryRunner` over LLaMA models into the store.
public enum TrajectoryEvaluation {
    public static func run(_ request: TrajectoryRequest, events: TrajectoryEvents = TrajectoryEvents(),
                           planned: (TrajectoryPlan) -> Void = { _ in }) throws -> TrajectorySummary {
        var (source, selected, runName) = try select(request.models)
        if let name = request.runName { runName = name }
        let averaged = try averagedPlan(request)
        if let averaged {
            selected = averaged.targets(selected)
            guard !selected.isEmpty else {
                throw TrajectoryError.tooFewCheckpoints(needed: averaged.window.size, found: 0,
                                                        context: "--average-window: no selected checkpoint has a full window")
            }
        }
        guard let tokenizerPath = request.tokenizer ?? selected.first?.path else {
            throw TrajectoryError.selection("no checkpoint selected and no --tokenizer")
        }
        let suite = try loadEvalSuite(root: request.evalsets, options: request.evalOptions)
        let comet = try request.comet.map(CometSegmentScorer.init(folder:))   // before the store: a bad folder writes nothing
        let store = try ResultStore(path: request.db, journal: request.journal)
        let settings = RunKeys.settings(request.evalOptions, tokenizerSHA256: try tokenizerHash(tokenizerPath))
        let tokenizer = try Tokenizer.load(path: tokenizerPath)
        var variant: (@Sendable (Checkpoint) throws -> ModelSpec)? = nil
        if let averaged { variant = { try averaged.modelSpec(for: $0) } }
        let runner = TrajectoryRunner(
            store: store, suite: suite, evalOptions: request.evalOptions,
            options: .init(runName: runName, source: source, settings: settings, verify: request.verify, variant: variant),
            log: try RunLog(path: request.log), events: events, segmentScorer: comet) { checkpoint in
                try LlamaGenerator(model: try loadModel(checkpoint, averaged: averaged), tokenizer: tokenizer)
            }
        planned(TrajectoryPlan(checkpoints: selected.count, datasets: suite.count,
                               examplesPerModel: suite.reduce(0) { $0 + $1.samples.count }, db: request.db))
        return try runner.run(selected)
    }

    /// What a resubmission still has to evaluate: the selected steps whose rows are not all stored, raw and (with
    /// averaging) averaged, under the request's settings.
    public static func missing(_ request: TrajectoryRequest) throws -> (runName: String, raw: [Int], averaged: [Int]) {
        let (_, selected, defaultName) = try select(request.models)
        let runName = request.runName ?? defaultName
        guard let tokenizerPath = request.tokenizer ?? selected.first?.path else {
            throw TrajectoryError.selection("no checkpoint selected and no --tokenizer")
        }
        let settings = RunKeys.settings(request.evalOptions, tokenizerSHA256: try tokenizerHash(tokenizerPath))
        let storedRaw = try ResultStore.completeSteps(db: request.db, runName: runName, settingsHash: settings.hash,
                                                      kind: .raw)
        var averaged: [Int] = []
        if let plan = try averagedPlan(request) {
            let stored = try ResultStore.completeSteps(db: request.db, runName: runName, settingsHash: settings.hash,
                                                       kind: .average, window: plan.window.size)
            averaged = plan.targets(selected).map(\.step).filter { !stored.contains($0) }
        }
        return (runName, selected.map(\.step).filter { !storedRaw.contains($0) }, averaged)
    }

    /// The checkpoint itself, or the averaged model standing for it (members share one config; the averager checks).
    static func loadModel(_ checkpoint: Checkpoint, averaged: CheckpointAveraging?) throws -> LlamaModel {
        guard let averaged else { return try LlamaModel(directory: checkpoint.path) }
        let config = try LlamaConfig.load(path: checkpoint.path)
        return try LlamaModel(config: config, weights: try averaged.weights(at: checkpoint.step))
    }

    /// The averaging plan over the whole run (window members may lie outside the selection), or nil.
    static func averagedPlan(_ request: TrajectoryRequest) throws -> CheckpointAveraging? {
        guard let averaging = request.averaging else { return nil }
        guard case let .run(folder, _, _) = request.models else {
            throw TrajectoryError.selection("--average-window needs --checkpoints (a run to average over)")
        }
        guard averaging.window.size >= 1 else {
            throw TrajectoryError.invalidOption(option: "--average-window", value: String(averaging.window.size),
                                                expected: "at least 1")
        }
        return CheckpointAveraging(checkpoints: try CheckpointIndex(path: folder).checkpoints, window: averaging.window,
                                 weights: averaging.weights)
    }

    /// The checkpoints to evaluate, the run's source and its default name.
    static func select(_ models: ModelSelection) throws -> (source: String, checkpoints: [Checkpoint], name: String) {
        switch models {
        case let .run(folder, steps, lastFraction):
            let source = absolute(folder)
            let selected = try CheckpointIndex(path: folder).select(steps: steps, lastFraction: lastFraction)
            return (source, selected, source)
        case let .single(model, step):
            // A checkpoint folder named like checkpoint-N joins the run of its parent folder.
            let path = absolute(model)
            let name = (path as NSString).lastPathComponent
            if let (scheme, parsed) = CheckpointNaming.parse(name) {
                let parent = (path as NSString).deletingLastPathComponent
                return (parent, [Checkpoint(step: step ?? parsed, path: path, naming: scheme)], parent)
            }
            return (path, [Checkpoint(step: step ?? 0, path: path)], path)
        }
    }

    static func tokenizerHash(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        var file = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = (path as NSString).appendingPathComponent("tokenizer.json")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw TrajectoryError.missingFile(path: file, what: "tokenizer")
        }
        return SHA256.hex(data)
    }

    public static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }
}
