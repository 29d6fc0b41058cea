/// Loads a run's raw, averaged and ensembled trajectories from the store and runs the stability sweep: what the
/// `stability` and `report` commands share.
public struct StabilityRequest: Sendable {
    public var run: String?
    public var span: AnalysisSpan
    public var windows: [Int]
    public var alignment: WindowAlignment
    public var options: StabilityOptions
    /// Windows only over the span's checkpoints (what `kasane sweep` evaluates): the raw trajectory is cut to the
    /// span first, so no window reaches back before it.
    public var windowsInsideSpan: Bool

    public init(run: String? = nil, span: AnalysisSpan = .finalFifth, windows: [Int] = [1, 2, 5, 10, 20],
                alignment: WindowAlignment = .trailing, options: StabilityOptions = StabilityOptions(),
                windowsInsideSpan: Bool = false) {
        self.run = run
        self.span = span
        self.windows = windows
        self.alignment = alignment
        self.options = options
        self.windowsInsideSpan = windowsInsideSpan
    }

    /// The span `stability` and `report` analyse: `--steps A:B`, else `--last N`, else `--last-fraction`.
    public static func span(steps: StepRange?, last: Int?, lastFraction: String) throws -> AnalysisSpan {
        if let last, last < 2 { throw TrajectoryError.selection("--last: needs at least 2 checkpoints") }
        if let steps {
            guard steps.stride == nil else {
                throw TrajectoryError.invalidOption(option: "--steps", value: "A:B:stride", expected: "a contiguous span A:B")
            }
            return .steps((steps.lower ?? Int.min)...(steps.upper ?? Int.max))
        }
        return try last.map { AnalysisSpan.lastCount($0) } ?? AnalysisSpan.parseFraction(lastFraction)
    }
}

public struct StabilityResult: Sendable {
    public var run: StoredRun
    public var raw: LoadedTrajectory
    public var averaged: [Int: TrajectoryTable]
    public var ensembles: [Int: TrajectoryTable]
    /// Confidence-voted ensembles (`kasane ensemble --vote confidence`) by window size.
    public var confidenceEnsembles: [Int: TrajectoryTable] = [:]
    public var sweep: [MethodSummary]
    /// Analysis settings in words, for printing and reports.
    public var settings: [(String, String)]
}

public enum StabilityRunner {
    /// `kasane stability`: the store opened read-only; ensembles not stored are voted on the fly.
    public static func run(db: String, request: StabilityRequest) throws -> StabilityResult {
        try run(store: try ResultStore(path: db, readOnly: true), request: request, scorer: ScoringRescorer())
    }

    /// `scorer` votes and rescores ensembles that are not stored yet; without one, only stored ensembles are used.
    public static func run(store: ResultStore, request: StabilityRequest,
                           scorer: (any DatasetRescorer)?) throws -> StabilityResult {
        let run = try store.run(named: request.run)
        var raw = try StoreTrajectoryLoader.load(store: store, run: run.id)
        var span = request.span
        if request.windowsInsideSpan, let kept = span.positions(steps: raw.table.steps) {
            raw = LoadedTrajectory(table: raw.table.restricted(to: Array(kept)), models: Array(raw.models[kept]),
                                   excluded: raw.excluded)
            span = .all
        }
        guard raw.table.steps.count >= 2 else {
            throw TrajectoryError.tooFewCheckpoints(needed: 2, found: raw.table.steps.count,
                                                    context: "\(store.path): run '\(run.name)'")
        }
        var averaged: [Int: TrajectoryTable] = [:]
        var ensembles: [Int: TrajectoryTable] = [:], confidenceEnsembles: [Int: TrajectoryTable] = [:]
        for variant in try StoreTrajectoryLoader.variants(store: store, run: run.id)
        where variant.align == request.alignment.rawValue {
            let loaded = try StoreTrajectoryLoader.load(store: store, run: run.id, selection: variant)
            // Only the datasets the raw trajectory has, so the comparison is like for like.
            var table = loaded.table
            table.datasets = table.datasets.filter { d in raw.table.datasets.contains { $0.dataset == d.dataset } }
            switch variant.kind {
            case .average where variant.weights == "uniform" || averaged[variant.window] == nil:
                averaged[variant.window] = table
            // Each vote's ensembles apart, so that stability shows them side by side.
            case .ensemble where variant.weights == EnsembleVote.majority.weightsLabel: ensembles[variant.window] = table
            case .ensemble where variant.weights == EnsembleVote.confidence.weightsLabel:
                confidenceEnsembles[variant.window] = table
            default: break
            }
        }
        // Ensembles not stored are computed on the fly (and shown in the report) when a scorer is given.
        if let scorer {
            for n in request.windows where n > 1 && ensembles[n] == nil {
                let window = CheckpointWindow(size: n, alignment: request.alignment)
                guard window.definedPositions(count: raw.table.steps.count).count >= 2 else { continue }
                ensembles[n] = try EnsembleBuilder.build(raw: raw.table, window: window, scorer: scorer).table
            }
        }
        let sweep = try StabilitySweep.run(raw: raw.table, averaged: averaged, ensembles: ensembles,
                                           confidenceEnsembles: confidenceEnsembles, windows: request.windows, alignment: request.alignment,
                                           span: span, options: request.options)
        var settings: [(String, String)] = [
            ("run", "\(run.name) (\(raw.table.steps.count) checkpoints)"),
            ("analysis span", describe(request.span, steps: raw.table.steps)),
            ("window sizes", request.windows.map(String.init).joined(separator: ", ")
                + " (\(request.alignment.rawValue); positions without a full window dropped"
                + (request.windowsInsideSpan ? "; windows inside the span)" : ")")),
            ("MTV levels", "aggregate (dataset, category, AVG) and per example (mean over examples → datasets → categories)"),
            ("IS similarity", request.options.similarity.name),
            ("correctness threshold τ", String(request.options.correctnessThreshold)),
            ("noise", "std / mean over the analysed positions (ddof \(request.options.noiseDdof))"),
            ("AVG categories", request.options.averageCategories.joined(separator: ", ")),
            ("ensemble", "majority vote over normalized predictions, ties to the newest checkpoint"
                + (confidenceEnsembles.isEmpty ? "" : "; confidence vote (weights exp(mean token log-prob)) beside it")),
        ]
        if request.options.bootstrapResamples > 0 {
            settings.append(("statistics", "per dataset with per-example scores: percentile bootstrap (\(request.options.bootstrapResamples)"
                + " resamples of examples, seed \(request.options.bootstrapSeed)) for mean score and MTV; paired bootstrap"
                + " and McNemar (correctness pooled over positions) against raw on the same positions"))
        }
        if !raw.excluded.isEmpty { settings.append(("left out", "\(raw.excluded.count) dataset(s), see below")) }
        return StabilityResult(run: run, raw: raw, averaged: averaged, ensembles: ensembles,
                               confidenceEnsembles: confidenceEnsembles, sweep: sweep, settings: settings)
    }

    static func describe(_ span: AnalysisSpan, steps: [Int]) -> String {
        let positions = span.positions(steps: steps)
        let chosen = positions.map { "steps \(steps[$0.lowerBound])–\(steps[$0.upperBound - 1]), \($0.count) checkpoints" }
            ?? "undefined"
        switch span {
        case let .lastFraction(n, d): return "last \(Double(n) / Double(d) * 100)% of checkpoints (\(chosen))"
        case let .lastCount(k): return "last \(k) checkpoints (\(chosen))"
        case let .steps(r): return "steps \(r.lowerBound)…\(r.upperBound) (\(chosen))"
        case .all: return "all checkpoints (\(chosen))"
        }
    }
}

import Foundation

extension StabilityResult {
    /// `kasane stability`'s printout: the settings, the datasets left out, then the AVG level of every method.
    public var text: String {
        let lines = settings.map { "\($0.0): \($0.1)" } + LoadedTrajectory.leftOutLines(raw.excluded)
        return lines.joined(separator: "\n") + "\n\n" + StabilityExport.text(sweep)
    }

    /// Writes the exports asked for: every measure as CSV or JSON, per-example measures as CSV.
    public func write(csv: String?, json: String?, examplesCSV: String?) throws {
        if let csv { try OutputFile.write(StabilityExport.csv(sweep), to: csv) }
        if let examplesCSV { try OutputFile.write(StabilityExport.examplesCSV(sweep), to: examplesCSV) }
        if let json {
            let named = Dictionary(settings, uniquingKeysWith: { a, _ in a })
            try OutputFile.write(try StabilityExport.json(run: run.name, settings: named, rows: sweep), to: json)
        }
    }
}

extension ReportInput {
    /// The report of a sweep, with the drift and costs it loaded.
    public init(_ sweep: SweepResult) {
        let s = sweep.stability
        self.init(runName: s.run.name, settings: s.settings, raw: s.raw.table, averaged: s.averaged,
                  ensembles: s.ensembles, sweep: s.sweep, excluded: s.raw.excluded,
                  correctnessThreshold: sweep.correctnessThreshold, drift: sweep.drift, costs: sweep.costs)
    }

    /// `kasane report`: the stability run (as `kasane stability`) and the drift and costs of its run, from one
    /// read-only opening of the store.
    public init(db: String, request: StabilityRequest) throws {
        let store = try ResultStore(path: db, readOnly: true)
        try self.init(try StabilityRunner.run(store: store, request: request, scorer: ScoringRescorer()), store: store,
                      correctnessThreshold: request.options.correctnessThreshold)
    }

    /// The report of a stability run (`kasane report`), with the drift and costs `store` holds for its run.
    public init(_ result: StabilityResult, store: ResultStore, correctnessThreshold: Double) throws {
        self.init(runName: result.run.name, settings: result.settings, raw: result.raw.table,
                  averaged: result.averaged, ensembles: result.ensembles, sweep: result.sweep,
                  excluded: result.raw.excluded, correctnessThreshold: correctnessThreshold,
                  drift: try store.drift(runName: result.run.name),
                  costs: try SweepCosts.load(store: store, result: result))
    }
}
