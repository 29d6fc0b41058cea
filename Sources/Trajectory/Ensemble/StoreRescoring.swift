import Evaluation
import Foundation

/// One stored value that rescoring changed (a dataset metric, its main value, or a category/AVG aggregate).
public struct RescoreChange: Sendable, Equatable {
    public var model: String
    /// The dataset, or "" for an aggregate.
    public var dataset: String
    public var metric: String
    public var before: Double?
    public var after: Double?
}

/// What `rescore` did.
public struct RescoreSummary: Sendable {
    public var run: StoredRun
    /// The run's BLEU setting before ("" when the run had none) and now.
    public var bleuBefore: String
    public var bleuAfter: BleuMode
    public var models: Int
    /// (model, dataset) scores recomputed.
    public var datasetScores: Int
    public var changes: [RescoreChange]

    /// The report: one line of totals, then one line per changed value (at most `limit`).
    public func lines(limit: Int = 40) -> [String] {
        let setting = bleuBefore == bleuAfter.rawValue ? "bleu \(bleuAfter.rawValue), unchanged"
            : "bleu \(bleuBefore.isEmpty ? "(not recorded)" : bleuBefore) → \(bleuAfter.rawValue)"
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var out = ["rescored run '\(run.name)' (#\(run.id), \(setting)): \(count(datasetScores, "dataset score")) of"
                   + " \(count(models, "model")), \(count(changes.count, "value")) changed"]
        for c in changes.prefix(limit) {
            func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }
            out.append("  \(c.model) \(c.dataset.isEmpty ? "" : c.dataset + " ")\(c.metric): \(f(c.before)) → \(f(c.after))")
        }
        if changes.count > limit { out.append("  … \(changes.count - limit) more") }
        return out
    }
}

/// `kasane rescore`: recomputes every stored dataset score of a run (raw, averaged and ensembled models) from the
/// stored per-example predictions under another BLEU mode, without inference, in one transaction.
///
/// The BLEU mode is one of the run's stored settings (part of its key, `RunKeys.settings`), so the run's settings
/// are rewritten with it: afterwards every score in the run was made under the settings it claims, `eval` under the
/// new mode resumes into the run, and `merge` refuses shards evaluated under the old mode.
public enum StoreRescoring {
    /// Opens an existing store (never creates one) and rescores its run.
    public static func rescore(db: String, run name: String?, bleu: BleuMode) throws -> RescoreSummary {
        guard FileManager.default.fileExists(atPath: db) else { throw TrajectoryError.missingFile(path: db, what: "result store") }
        return try rescore(store: try ResultStore(path: db), run: name, bleu: bleu)
    }

    public static func rescore(store: ResultStore, run name: String?, bleu: BleuMode) throws -> RescoreSummary {
        let run = try store.run(named: name)
        var values = run.settings.values
        let before = values["bleu"] ?? ""
        values["bleu"] = bleu.rawValue
        let settings = StoreSettings(values)
        if settings.hash != run.settingsHash,
           let other = try store.runs().first(where: { $0.name == run.name && $0.settingsHash == settings.hash }) {
            throw TrajectoryError.store(path: store.path, reason: "run '\(run.name)' already has results under bleu"
                + " \(bleu.rawValue) (#\(other.id)); rescoring #\(run.id) would mix the two, nothing was written")
        }
        var planned = try store.datasets(run: run.id)
        if planned.isEmpty { planned = try store.allDatasets() }
        let scorer = ScoringRescorer(bleu: bleu)
        let models = try store.models(run: run.id, includeStale: true)
        var writes: [() throws -> Void] = []
        var changes: [RescoreChange] = []
        var rescored = 0
        for model in models {
            let label = LMEvalExporter.modelName(run: run, model: model)
            var scores = Dictionary(try store.scores(model: model.id).map { ($0.dataset, $0) }, uniquingKeysWith: { a, _ in a })
            for dataset in planned {
                guard let old = scores[dataset.name] else { continue }
                let records = try store.predictions(model: model.id, dataset: dataset.id)
                    .filter { $0.index < (dataset.plannedExamples ?? Int.max) }
                guard !records.isEmpty else { continue }
                // Model-based values (COMET) as the runner scores them: the mean of the stored segment scores; the old
                // dataset value only for a metric whose segments are not all stored (a score supplied whole).
                let supplied = Scoring.modelBasedMeans(metrics: dataset.metrics, perExample: records.map(\.metrics))
                    .merging(old.metrics.filter { MetricName(rawValue: $0.key)?.isModelBased == true }) { means, _ in means }
                let (score, perExample) = try scorer.score(dataset: dataset.name, metrics: dataset.metrics,
                                                           predictions: records.map(\.prediction),
                                                           golds: records.map(\.gold), supplied: supplied)
                let rows = zip(records, perExample).map { record, values in
                    var row = record
                    // Model-based per-example values (COMET segments) are not recomputed from strings: keep them.
                    row.metrics = record.metrics.filter { MetricName(rawValue: $0.key)?.isModelBased == true }
                        .merging(values) { kept, _ in kept }
                    return row
                }
                changes += compare(old.metrics, score.metrics, model: label, dataset: dataset.name)
                if old.mainMetric != score.mainMetric || !same(old.main, score.main) {
                    changes.append(RescoreChange(model: label, dataset: dataset.name, metric: "main (\(score.mainMetric))",
                                                 before: old.main, after: score.main))
                }
                scores[dataset.name] = score
                rescored += 1
                writes.append {
                    try store.insertPredictions(rows, model: model.id, dataset: dataset.id, replace: true)
                    try store.setScore(score, model: model.id, dataset: dataset.id)
                }
            }
            let aggregates = Scoring.aggregate(Array(scores.values)).values
            changes += compare(try store.aggregates(model: model.id), aggregates, model: label, dataset: "")
            writes.append { try store.setAggregates(aggregates, model: model.id) }
        }
        try store.transaction {
            try store.replaceSettings(run: run.id, with: settings)
            for write in writes { try write() }
        }
        let updated = try store.runs().first { $0.id == run.id } ?? run
        return RescoreSummary(run: updated, bleuBefore: before, bleuAfter: bleu, models: models.count,
                              datasetScores: rescored, changes: changes)
    }

    private static func compare(_ old: [String: Double], _ new: [String: Double], model: String,
                                dataset: String) -> [RescoreChange] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            same(old[key], new[key]) ? nil
                : RescoreChange(model: model, dataset: dataset, metric: key, before: old[key], after: new[key])
        }
    }

    private static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x == y || (x.isNaN && y.isNaN)
        default: return false
        }
    }
}
