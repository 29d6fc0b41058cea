import Evaluation
import Foundation
import Linalg
import Llama

/// Evaluates the checkpoints of a run one at a time into a result store, skipping whatever the store already holds
/// for the same run (settings), checkpoint fingerprint, dataset hash and example. Each finished batch is written in
/// its own transaction, so a killed run loses at most the batch in flight.
///
/// The generator of a checkpoint (model + tokenizer) is made by `makeGenerator` only when something is missing,
/// and freed before the next one is made, so one model is in memory at a time.
public final class TrajectoryRunner<Generator: TextGenerator> {
    public struct Options: Sendable {
        public var runName: String
        public var source: String
        public var settings: StoreSettings
        /// Full SHA-256 of every checkpoint before it is evaluated.
        public var verify: Bool
        /// Evaluates a variant standing for each checkpoint instead of the checkpoint itself (e.g. an averaged
        /// model, `CheckpointAveraging.modelSpec(for:)`); `makeGenerator` must then build that variant.
        public var variant: (@Sendable (Checkpoint) throws -> ModelSpec)?
        public init(runName: String, source: String, settings: StoreSettings, verify: Bool = false,
                    variant: (@Sendable (Checkpoint) throws -> ModelSpec)? = nil) {
            self.runName = runName; self.source = source; self.settings = settings; self.verify = verify
            self.variant = variant
        }
    }

    private let store: ResultStore
    private let suite: [EvalDataset]
    private let evalOptions: EvalOptions
    private let makeGenerator: (Checkpoint) throws -> Generator
    private let options: Options
    private let log: RunLog
    private let events: TrajectoryEvents
    private let segmentScoring: SegmentScoreFilling?
    private let measure: (Generator) -> GenerationStats?

    /// With `segmentScorer` (COMET), every record of a dataset listing its metric gets a segment score, and the
    /// dataset's value is their mean. `measure` reads what a generator counted (stored with the pass's cost).
    public init(store: ResultStore, suite: [EvalDataset], evalOptions: EvalOptions, options: Options, log: RunLog,
                events: TrajectoryEvents = TrajectoryEvents(), segmentScorer: (any SegmentScorer)? = nil,
                measure: @escaping (Generator) -> GenerationStats? = { _ in nil },
                makeGenerator: @escaping (Checkpoint) throws -> Generator) {
        self.store = store; self.suite = suite; self.evalOptions = evalOptions; self.options = options
        self.log = log; self.events = events; self.makeGenerator = makeGenerator; self.measure = measure
        segmentScoring = segmentScorer.map(SegmentScoreFilling.init)
    }

    public func run(_ checkpoints: [Checkpoint]) throws -> TrajectorySummary {
        let started = Date()
        // Fail early: every checkpoint complete, every config the same architecture.
        let fingerprints = try CheckpointFolder.fingerprintAll(checkpoints)
        let run = try store.openEvaluationRun(name: options.runName, source: options.source, settings: options.settings,
                                             notice: events.notice)
        let datasets = try suite.map { try store.registerDataset(RunKeys.datasetSpec($0)) }
        try store.planDatasets(run: run.id, zip(datasets, suite).map { ($0.id, $1.samples.count) })
        log.write("run '\(run.name)' (#\(run.id)) settings \(run.settingsHash.prefix(12)): \(checkpoints.count) checkpoints,"
                  + " \(datasets.count) datasets, store \(store.path)")

        // Every selected checkpoint gets its row now, so `status` can show what has not started yet.
        var models = try zip(checkpoints, fingerprints).map { try registerModel($0, fingerprint: $1, run: run.id, verify: false) }
        // What each checkpoint still lacks, for the ETA.
        let planned = suite.reduce(0) { $0 + $1.samples.count }
        var remaining = checkpoints.count * planned
        var evaluated = 0, skipped = 0, evaluatingSeconds = 0.0
        for (k, checkpoint) in checkpoints.enumerated() {
            let checkpointStart = Date()
            PeakMemory.reset()
            if options.verify {
                models[k] = try registerModel(checkpoint, fingerprint: fingerprints[k], run: run.id, verify: true)
            }
            let model = models[k]
            var stored = 0, new = 0, tokens = 0
            // Every dataset's missing examples go through one evaluator pass, batched continuously across datasets.
            var work: [DatasetWork] = [], workDataset: [Int] = [], have: [Set<Int>] = []
            for (d, dataset) in datasets.enumerated() {
                have.append(try store.storedExamples(model: model.id, dataset: dataset.id))
                if (0..<suite[d].samples.count).contains(where: { !have[d].contains($0) }) {
                    work.append(DatasetWork(suite[d], skip: have[d]))
                    workDataset.append(d)
                }
            }
            var measured: MeasuredPasses? = nil
            if !work.isEmpty {
                let loadStart = Date()
                let evaluator = Evaluator(generator: try makeGenerator(checkpoint), options: evalOptions)
                log.write("step=\(checkpoint.step) load seconds=\(Self.f(Date().timeIntervalSince(loadStart)))")
                var added = [Int](repeating: 0, count: work.count)
                try evaluator.run(work, onBatch: { w, batch in
                    let d = workDataset[w]
                    try store.insertPredictions(batch, model: model.id, dataset: datasets[d].id)
                    added[w] += batch.count
                    events.batch("[\(k + 1)/\(checkpoints.count)] step \(checkpoint.step): \(datasets[d].name)"
                                 + " \(have[d].count + added[w])/\(suite[d].samples.count)")
                }, onDone: { w, pass in
                    let dataset = datasets[workDataset[w]]
                    let c = pass.counters
                    try store.recordTiming(model: model.id, dataset: dataset.id, seconds: pass.seconds, examples: c.samples,
                                           generatedTokens: c.generatedTokens)
                    let processed = c.promptTokens + c.generatedTokens
                    log.write("step=\(checkpoint.step) dataset=\(dataset.name) new=\(c.samples) seconds=\(Self.f(pass.seconds))"
                              + " prompt_tokens=\(c.promptTokens) generated_tokens=\(c.generatedTokens)"
                              + " tok/s=\(Self.f(pass.seconds > 0 ? Double(processed) / pass.seconds : 0))")
                    new += c.samples; tokens += processed
                })
                measured = measure(evaluator.generator).map { MeasuredPasses(examples: new, stats: $0) }
            }   // the model is freed here, before the next one is made
            for (d, dataset) in datasets.enumerated() {
                let expected = suite[d].samples.count
                let predictions = try store.predictions(model: model.id, dataset: dataset.id)
                guard predictions.count >= expected else {
                    throw TrajectoryError.store(path: store.path, reason: "\(checkpoint.name): \(dataset.name) has"
                        + " \(predictions.count) of \(expected) predictions after evaluation")
                }
                stored += expected
                if expected == 0 { continue }
                var inPlan = Array(predictions.prefix(while: { $0.index < expected }))
                if let filling = segmentScoring {
                    let scoringStart = Date()
                    if let filled = try filling.fill(inPlan, of: suite[d]), !filled.scored.isEmpty {
                        try store.insertPredictions(filled.scored, model: model.id, dataset: dataset.id, replace: true)
                        inPlan = filled.all
                        log.write("step=\(checkpoint.step) dataset=\(dataset.name) \(filling.scorer.metric)"
                                  + " segments=\(filled.scored.count) seconds=\(Self.f(Date().timeIntervalSince(scoringStart)))")
                    }
                }
                try store.setScore(try Scoring.score(suite[d], records: inPlan, bleu: evalOptions.bleu),
                                   model: model.id, dataset: dataset.id)
            }
            let ownScores = try store.scores(model: model.id).filter { s in datasets.contains { $0.name == s.dataset } }
            let aggregates = Scoring.aggregate(ownScores).values
            try store.setAggregates(aggregates, model: model.id)

            let seconds = Date().timeIntervalSince(checkpointStart)
            if new > 0 {
                try store.recordCost(model: model.id, seconds: seconds, peakBytes: PeakMemory.peak(), measured: measured)
            }
            evaluated += new; skipped += stored - new
            remaining -= stored
            if new > 0 { evaluatingSeconds += seconds }
            let eta: Double? = evaluated > 0 ? evaluatingSeconds / Double(evaluated) * Double(max(0, remaining)) : nil
            log.write("step=\(checkpoint.step) done examples=\(stored) new=\(new) seconds=\(Self.f(seconds)) tokens=\(tokens)"
                      + " tok/s=\(Self.f(seconds > 0 ? Double(tokens) / seconds : 0))")
            events.checkpoint(CheckpointProgress(position: k + 1, total: checkpoints.count, checkpoint: checkpoint,
                                        examples: stored, newExamples: new, tokens: tokens, seconds: seconds,
                                        etaSeconds: k + 1 < checkpoints.count ? eta : nil, avg: aggregates["AVG"]))
        }
        let total = Date().timeIntervalSince(started)
        log.write("run '\(run.name)' finished: \(evaluated) examples evaluated, \(skipped) already stored,"
                  + " \(Self.f(total)) s")
        return TrajectorySummary(run: run, models: models, checkpoints: checkpoints.count, evaluatedExamples: evaluated, skippedExamples: skipped,
                       seconds: total)
    }

    /// Registers the checkpoint's model row; with `verify`, a full-content change under an unchanged quick
    /// fingerprint gets a new row too (the old results stay, marked stale).
    private func registerModel(_ checkpoint: Checkpoint, fingerprint: CheckpointFingerprint, run: Int,
                               verify: Bool) throws -> StoredModel {
        if let variant = options.variant { return try store.registerModel(try variant(checkpoint), run: run) }
        var spec = ModelSpec.raw(step: checkpoint.step, fingerprint: fingerprint.fingerprint, path: checkpoint.path)
        let previous = try store.models(run: run, kind: .raw).first { $0.step == checkpoint.step }
        if !verify, let previous, previous.spec.fingerprint != spec.fingerprint,
           !previous.spec.fingerprint.hasPrefix(spec.fingerprint) {
            events.notice("\(checkpoint.name) changed since it was evaluated (fingerprint \(previous.spec.fingerprint.prefix(12))"
                   + " → \(spec.fingerprint.prefix(12))); evaluating it again, the old results are kept as stale")
        }
        if verify {
            let verifyStart = Date()
            let full = try CheckpointFolder(checkpoint.path).fingerprint(verify: true)
            let seconds = Date().timeIntervalSince(verifyStart)
            log.write("step=\(checkpoint.step) verify bytes=\(full.totalBytes) seconds=\(Self.f(seconds))"
                      + " MB/s=\(Self.f(seconds > 0 ? Double(full.totalBytes) / 1e6 / seconds : 0))")
            let content = full.contentSHA256 ?? ""
            spec.contentSHA256 = content
            if let previous, previous.spec.fingerprint.hasPrefix(spec.fingerprint),
               previous.spec.contentSHA256 != "", previous.spec.contentSHA256 != content {
                events.notice("\(checkpoint.name): weights changed since they were evaluated (full SHA-256 differs, headers"
                       + " and sizes equal); evaluating it again, the old results are kept as stale")
                spec.fingerprint += "+" + content
            } else if let previous, previous.spec.contentSHA256 == content {
                spec.fingerprint = previous.spec.fingerprint
            }
        } else if let previous, previous.spec.fingerprint.hasPrefix(spec.fingerprint + "+") {
            // An earlier --verify run re-keyed this checkpoint after an in-place change; keep using that row.
            spec.fingerprint = previous.spec.fingerprint
        }
        return try store.registerModel(spec, run: run)
    }

    static func f(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// What a trajectory run did.
public struct TrajectorySummary: Sendable {
    public var run: StoredRun
    /// The store rows of the evaluated models, in checkpoint order.
    public var models: [StoredModel]
    public var checkpoints: Int
    public var evaluatedExamples: Int
    public var skippedExamples: Int
    public var seconds: Double

    /// The closing line of `kasane eval`.
    public func line(db: String) -> String {
        "done: \(evaluatedExamples) examples evaluated, \(skippedExamples) already stored,"
            + " \(DurationText.format(seconds)); run '\(run.name)' in \(db)"
    }
}
