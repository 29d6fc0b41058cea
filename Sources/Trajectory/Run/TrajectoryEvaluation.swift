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
    public var setup: EvaluationSetup
    public var db: String
    public var journal: ResultStore.Journal
    /// Run name in the store; default: the run folder's absolute path.
    public var runName: String?
    /// Full SHA-256 of every checkpoint before it is evaluated.
    public var verify: Bool
    /// Timings per checkpoint and dataset are appended to this file.
    public var log: String?
    public var averaging: AveragingRequest?

    public init(models: ModelSelection, setup: EvaluationSetup, db: String, journal: ResultStore.Journal = .wal,
                runName: String? = nil, verify: Bool = false, log: String? = nil, averaging: AveragingRequest? = nil) {
        self.models = models; self.setup = setup; self.db = db; self.journal = journal; self.runName = runName
        self.verify = verify; self.log = log; self.averaging = averaging
    }
}

/// A `TrajectoryRequest` resolved: the checkpoints (or averaged positions) to evaluate, the datasets, the store,
/// the tokenizer and the run's settings. `TrajectoryRunner(plan)` evaluates it.
public struct TrajectoryPlan {
    public let request: TrajectoryRequest
    public let checkpoints: [Checkpoint]
    public let suite: [EvalDataset]
    public let store: ResultStore
    let runName: String
    let source: String
    let settings: StoreSettings
    let tokenizer: Tokenizer
    let averaged: CheckpointAveraging?
    let comet: CometSegmentScorer?

    public init(_ request: TrajectoryRequest) throws {
        var (source, selected, runName) = try TrajectoryEvaluation.select(request.models)
        if let name = request.runName { runName = name }
        let averaged = try TrajectoryEvaluation.averagedPlan(request)
        if let averaged {
            selected = averaged.targets(selected)
            guard !selected.isEmpty else {
                throw TrajectoryError.tooFewCheckpoints(needed: averaged.window.size, found: 0,
                                                        context: "--average-window: no selected checkpoint has a full window")
            }
        }
        guard let tokenizerPath = request.setup.tokenizer ?? selected.first?.path else {
            throw TrajectoryError.selection("no checkpoint selected and no --tokenizer")
        }
        suite = try loadEvalSuite(root: request.setup.evalsets, options: request.setup.evalOptions)
        comet = try request.setup.comet.map(CometSegmentScorer.init(folder:))   // before the store: a bad folder writes nothing
        store = try ResultStore(path: request.db, journal: request.journal)
        settings = RunKeys.settings(request.setup.evalOptions,
                                    tokenizerSHA256: try TrajectoryEvaluation.tokenizerHash(tokenizerPath),
                                    comet: comet?.fingerprint)
        tokenizer = try Tokenizer.load(path: tokenizerPath)
        self.request = request
        self.checkpoints = selected
        self.runName = runName
        self.source = source
        self.averaged = averaged
    }

    /// Examples per model over all datasets.
    public var examplesPerModel: Int { suite.reduce(0) { $0 + $1.samples.count } }

    /// What the run is about to do, told once before it starts.
    public var line: String {
        "\(checkpoints.count) checkpoint\(checkpoints.count == 1 ? "" : "s") × \(suite.count) datasets"
            + " (\(examplesPerModel) examples each) → \(request.db)"
    }

    /// The checkpoint itself, or the averaged model standing for it (members share one config; the averager checks).
    func generator(for checkpoint: Checkpoint) throws -> LlamaGenerator {
        guard let averaged else {
            return try LlamaGenerator(model: try LlamaModel(directory: checkpoint.path), tokenizer: tokenizer)
        }
        let config = try LlamaConfig.load(path: checkpoint.path)
        let model = try LlamaModel(config: config, weights: try averaged.weights(at: checkpoint.step))
        return try LlamaGenerator(model: model, tokenizer: tokenizer)
    }
}

extension TrajectoryRunner where Generator == LlamaGenerator {
    /// `kasane eval`: the runner over the plan's LLaMA models (averaged ones with `--average-window`) and its store.
    public convenience init(_ plan: TrajectoryPlan, events: TrajectoryEvents = TrajectoryEvents()) throws {
        var variant: (@Sendable (Checkpoint) throws -> ModelSpec)? = nil
        if let averaged = plan.averaged { variant = { try averaged.modelSpec(for: $0) } }
        self.init(store: plan.store, suite: plan.suite, evalOptions: plan.request.setup.evalOptions,
                  options: .init(runName: plan.runName, source: plan.source, settings: plan.settings,
                                 verify: plan.request.verify, variant: variant),
                  log: try RunLog(path: plan.request.log), events: events, segmentScorer: plan.comet,
                  measure: { $0.stats }, makeGenerator: plan.generator)
    }
}

/// Resolving a request's checkpoints, and what a resubmission still lacks (`kasane slurm`).
public enum TrajectoryEvaluation {
    /// What a resubmission still has to evaluate: the selected steps whose rows are not all stored, raw and (with
    /// averaging) averaged, under the request's settings.
    public static func missing(_ request: TrajectoryRequest) throws -> (runName: String, raw: [Int], averaged: [Int]) {
        let (_, selected, defaultName) = try select(request.models)
        let runName = request.runName ?? defaultName
        guard let tokenizerPath = request.setup.tokenizer ?? selected.first?.path else {
            throw TrajectoryError.selection("no checkpoint selected and no --tokenizer")
        }
        let settings = RunKeys.settings(request.setup.evalOptions, tokenizerSHA256: try tokenizerHash(tokenizerPath),
                                        comet: try request.setup.comet.map(CometFingerprint.of(folder:)))
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
