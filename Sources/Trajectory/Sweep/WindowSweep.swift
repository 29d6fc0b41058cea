import Evaluation
import Foundation

/// `kasane sweep`: the paper's first three experiments in one go over an analysis span of a run — the raw
/// checkpoints, averaged models at every window (built in memory, `kasane eval --average-window`), ensembles at the
/// same windows, stability and what each cost. Windows lie inside the span (a position counts only when all of its
/// window's members are span checkpoints). Everything goes through the store, so a rerun evaluates and votes only
/// what is missing.
public struct SweepRequest: Sendable {
    public var checkpoints: String
    public var setup: EvaluationSetup
    public var db: String
    public var runName: String?
    /// Window sizes (> 1; the raw checkpoints are always part of the sweep).
    public var windows: [Int]
    /// The span: `--steps A:B` or `--last-fraction p` of the run's checkpoints; neither: the last fifth.
    public var steps: StepRange?
    public var lastFraction: LastFraction?
    public var options: StabilityOptions

    public init(checkpoints: String, setup: EvaluationSetup, db: String, runName: String? = nil, windows: [Int],
                steps: StepRange? = nil, lastFraction: LastFraction? = nil, options: StabilityOptions = StabilityOptions()) {
        self.checkpoints = checkpoints; self.setup = setup; self.db = db; self.runName = runName; self.windows = windows
        self.steps = steps; self.lastFraction = lastFraction; self.options = options
    }
}

public struct SweepResult: Sendable {
    public var stability: StabilityResult
    public var costs: [MethodCost]
    public var drift: [DriftPair]
    /// τ of the analysis, for the report's heatmap.
    public var correctnessThreshold: Double = 1.0
}

extension SweepResult {
    /// `kasane sweep`'s printout: the stability table, then the cost table, each after a blank line.
    public var text: String { "\n" + StabilityExport.text(stability.sweep) + "\n" + StabilityExport.costText(costs) }

    /// `kasane sweep --report`: writes the report of the sweep into `directory`; returns its pages (report.md, .html).
    public func writeReport(to directory: String) throws -> [String] {
        try ReportWriter.write(ReportInput(self), to: directory).filter { $0.hasSuffix(".md") || $0.hasSuffix(".html") }
    }
}

public enum WindowSweep {
    public static func run(_ request: SweepRequest, events: TrajectoryEvents = TrajectoryEvents(),
                           say: (String) -> Void = { _ in }) throws -> SweepResult {
        guard request.steps?.stride == nil else {
            throw TrajectoryError.invalidOption(option: "--steps", value: "A:B:stride",
                                                expected: "a contiguous span A:B (windows are neighbouring checkpoints)")
        }
        let fraction = try request.lastFraction ?? (request.steps == nil ? LastFraction(numerator: 1, denominator: 5) : nil)
        let checkpointIndex = try CheckpointIndex(path: request.checkpoints)
        let index = checkpointIndex.checkpoints
        let span = try checkpointIndex.select(steps: request.steps, lastFraction: fraction)
        guard let first = span.first, let last = span.last, span.count >= 2 else {
            throw TrajectoryError.tooFewCheckpoints(needed: 2, found: span.count, context: "\(request.checkpoints): sweep span")
        }
        let spanSteps = Set(span.map(\.step))
        let windows = request.windows.filter { $0 > 1 }
        func evaluate(_ from: Int, averaging: AveragingRequest?) throws -> TrajectorySummary {
            let plan = try TrajectoryPlan(TrajectoryRequest(
                models: .run(folder: request.checkpoints, steps: StepRange(lower: from, upper: last.step),
                             lastFraction: nil),
                setup: request.setup, db: request.db, runName: request.runName, averaging: averaging))
            return try TrajectoryRunner(plan, events: events).run(plan.checkpoints)
        }

        say("raw checkpoints: steps \(first.step)–\(last.step) (\(span.count))")
        let raw = try evaluate(first.step, averaging: nil)
        say("  \(raw.evaluatedExamples) examples evaluated, \(raw.skippedExamples) already stored")
        for n in windows {
            let window = CheckpointWindow(size: n)
            // The first span checkpoint whose whole window lies in the span; later ones follow (the span is contiguous).
            let target = index.indices.first { t in
                spanSteps.contains(index[t].step)
                    && (window.members(at: t, count: index.count).map { $0.allSatisfy { spanSteps.contains(index[$0].step) } } ?? false)
            }
            guard let target else {
                say("averaged n=\(n): no span checkpoint has its whole window in the span")
                continue
            }
            say("averaged n=\(n): steps \(index[target].step)–\(last.step)")
            let summary = try evaluate(index[target].step, averaging: AveragingRequest(window: window))
            say("  \(summary.evaluatedExamples) examples evaluated, \(summary.skippedExamples) already stored")
        }

        let store = try ResultStore(path: request.db)
        let run = raw.run
        try vote(store: store, run: run, spanSteps: spanSteps, windows: windows, say: say, notice: events.notice)
        let stability = try StabilityRunner.run(store: store, request: StabilityRequest(
            run: run.name, span: .steps(first.step...last.step), windows: [1] + windows, alignment: .trailing,
            options: request.options, windowsInsideSpan: true), scorer: nil)
        return SweepResult(stability: stability, costs: try SweepCosts.load(store: store, result: stability),
                           drift: try store.drift(runName: run.name),
                           correctnessThreshold: request.options.correctnessThreshold)
    }

    /// Ensembles over the span's raw checkpoints at each window, voted and stored unless every position already is:
    /// majority votes, and confidence votes beside them at the positions whose every member carries log-probs for
    /// every example. When some raw predictions carry them but a window's members do not all, `notice` names the
    /// windows left without a confidence vote, once.
    static func vote(store: ResultStore, run: StoredRun, spanSteps: Set<Int>, windows: [Int],
                     say: (String) -> Void, notice: (String) -> Void = { _ in }) throws {
        let loaded = try StoreTrajectoryLoader.load(store: store, run: run.id)
        let keep = loaded.table.steps.indices.filter { spanSteps.contains(loaded.table.steps[$0]) }
        let raw = LoadedTrajectory(table: loaded.table.restricted(to: keep), models: keep.map { loaded.models[$0] },
                                   excluded: loaded.excluded)
        let stored = try store.models(run: run.id, kind: .ensemble)
        let carriesLogprobs = raw.table.steps.indices.map { p in
            raw.table.datasets.allSatisfy { $0.examples.allSatisfy { ($0.logprobs?[p] ?? nil) != nil } }
        }
        var skipped: [String] = []
        for n in windows {
            let window = CheckpointWindow(size: n)
            let defined = window.definedPositions(count: raw.table.steps.count)
            guard !defined.isEmpty else { continue }
            let confident = defined.filter { t in
                window.members(at: t, count: raw.table.steps.count)?.allSatisfy { carriesLogprobs[$0] } ?? false
            }
            if carriesLogprobs.contains(true), confident.count < defined.count {
                skipped.append("n=\(n) at step" + (defined.count - confident.count == 1 ? " " : "s ")
                               + defined.filter { !confident.contains($0) }.map { String(raw.table.steps[$0]) }
                                   .joined(separator: ", "))
            }
            for vote in EnsembleVote.allCases {
                let positions = vote == .majority ? defined : confident
                guard !positions.isEmpty else { continue }
                let name = "ensemble n=\(n)" + (vote == .majority ? "" : " (\(vote.rawValue) vote)")
                let have = Set(stored.filter {
                    $0.spec.window == n && $0.spec.align == window.alignment.rawValue && $0.spec.weights == vote.weightsLabel
                }.map(\.step))
                let missing = positions.filter { !have.contains(raw.table.steps[$0]) }
                guard !missing.isEmpty else {
                    say("\(name): \(positions.count) positions already stored")
                    continue
                }
                PeakMemory.reset()
                let started = Date()
                let result = try EnsembleBuilder.build(raw: raw.table, window: window, scorer: ScoringRescorer(), only: missing,
                                                       vote: vote)
                let models = try EnsembleRecorder.record(result, raw: raw, store: store, run: run.id)
                let seconds = Date().timeIntervalSince(started) / Double(max(1, models.count))
                for m in models { try store.recordCost(model: m.id, seconds: seconds, peakBytes: PeakMemory.peak()) }
                say("\(name): \(models.count) positions voted and stored")
            }
        }
        if !skipped.isEmpty {
            notice("no confidence vote where a member has no stored log-probs (evaluated with --no-logprobs): "
                   + skipped.joined(separator: "; "))
        }
    }
}
