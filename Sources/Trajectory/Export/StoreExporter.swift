import Evaluation
import Foundation
import JSON

public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, jsonl
    case lmEval = "lm-eval"
}

/// Writes a store's runs out as files: per-example predictions, per-dataset scores and per-model aggregates
/// (CSV or JSONL), or lm-evaluation-harness-style `results_*.json` + `samples_<task>_*.jsonl` per model.
public struct StoreExporter {
    public let store: ResultStore
    public let runs: [StoredRun]

    public init(store: ResultStore, runs: [StoredRun]) { self.store = store; self.runs = runs }

    /// `kasane export`: the store at `db` opened read-only; the run named `run`, or every run.
    public init(db: String, run: String?) throws {
        store = try ResultStore(path: db, readOnly: true)
        runs = try store.runs(named: run)
    }

    /// Returns the paths written.
    @discardableResult
    public func export(_ format: ExportFormat, to directory: String) throws -> [String] {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw TrajectoryError.output(path: directory, reason: "cannot create the output folder")
        }
        switch format {
        case .csv, .jsonl: return try exportTables(csv: format == .csv, to: directory)
        case .lmEval: return try LMEvalExporter(store: store, runs: runs).export(to: directory)
        }
    }

    /// Columns that identify a model row, shared by every table.
    static let modelColumns = ["run", "kind", "step", "window", "align", "weights", "members", "fingerprint", "path"]

    static func modelFields(_ run: StoredRun, _ m: StoredModel) -> [String: JSONValue] {
        ["run": .string(run.name), "kind": .string(m.kind.rawValue), "step": .integer(m.step),
         "window": .integer(m.spec.window), "align": .string(m.spec.align), "weights": .string(m.spec.weights),
         "members": .integers(m.spec.members), "fingerprint": .string(m.spec.fingerprint), "path": .string(m.spec.path)]
    }

    /// Per-example log-probs: absent (JSONL) or empty (CSV) when the store has none for the row.
    static let logprobColumns = ["gold_logprob", "gold_tokens", "prediction_logprob", "prediction_tokens"]

    static func logprobFields(_ l: ExampleLogprobs?) -> [String: JSONValue] {
        guard let l else { return [:] }
        return ["gold_logprob": .number(l.gold), "gold_tokens": .integer(l.goldTokens),
                "prediction_logprob": .number(l.prediction), "prediction_tokens": .integer(l.predictionTokens)]
    }

    private func exportTables(csv: Bool, to directory: String) throws -> [String] {
        let ext = csv ? "csv" : "jsonl"
        let paths = ["predictions", "scores", "aggregates"].map { (directory as NSString).appendingPathComponent("\($0).\(ext)") }
        // Metric and category names become columns (CSV) so the files load straight into a data frame.
        var metricNames = Set<String>(), aggregateNames = Set<String>()
        for run in runs {
            for m in try store.models(run: run.id) { aggregateNames.formUnion(try store.aggregates(model: m.id).keys) }
            for d in try store.datasets(run: run.id) { metricNames.formUnion(d.metrics) }
        }
        let metrics = metricNames.sorted()
        let aggregates = aggregateNames.sorted { ($0 == "AVG" ? "~" : $0) < ($1 == "AVG" ? "~" : $1) }

        let predictions = try TextFileWriter(path: paths[0])
        let scores = try TextFileWriter(path: paths[1])
        let aggregateFile = try TextFileWriter(path: paths[2])
        let predictionColumns = Self.modelColumns + ["dataset", "category", "example", "input", "prompt_hash",
                                                     "prompt_tokens", "generated", "prediction", "gold"]
            + Self.logprobColumns
        let scoreColumns = Self.modelColumns + ["dataset", "category", "main_metric", "main", "examples"]
        if csv {
            try predictions.write(CSV.line(predictionColumns + metrics))
            try scores.write(CSV.line(scoreColumns + metrics))
            try aggregateFile.write(CSV.line(Self.modelColumns + aggregates))
        }
        func emit(_ writer: TextFileWriter, _ columns: [String], _ row: [String: JSONValue], _ extra: [String: Double],
                  _ extraColumns: [String]) throws {
            if csv {
                let fields = columns.map { key -> String in
                    switch row[key] {
                    case let .array(list)?: return list.map(\.description).joined(separator: " ")
                    case let .number(d)?: return CSV.number(d)
                    case .null?: return CSV.number(.nan)  // a score without a main value
                    case let .string(text)?: return text
                    case let v?: return v.description
                    case nil: return ""
                    }
                }
                try writer.write(CSV.line(fields + extraColumns.map { CSV.number(extra[$0]) }))
            } else {
                var object = row
                object["metrics"] = .numbers(extra)
                try writer.write(JSONLines.line(object))
            }
        }
        for run in runs {
            let datasets = try store.datasets(run: run.id)
            let inputs = try Dictionary(uniqueKeysWithValues: datasets.map { ($0.id, try store.inputs(dataset: $0.id)) })
            for model in try store.models(run: run.id) {
                let base = Self.modelFields(run, model)
                for dataset in datasets {
                    for p in try store.predictions(model: model.id, dataset: dataset.id) {
                        var row = base
                        row["dataset"] = .string(dataset.name); row["category"] = .string(dataset.category ?? "")
                        row["example"] = .integer(p.index); row["input"] = .string(inputs[dataset.id]?[p.index] ?? "")
                        row["prompt_hash"] = .string(p.promptHash); row["prompt_tokens"] = .integer(p.promptTokens)
                        row["generated"] = .string(p.generated); row["prediction"] = .string(p.prediction)
                        row["gold"] = .string(p.gold)
                        row.merge(Self.logprobFields(p.logprobs)) { _, new in new }
                        try emit(predictions, predictionColumns, row, p.metrics, metrics)
                    }
                }
                for s in try store.scores(model: model.id) {
                    var row = base
                    row["dataset"] = .string(s.dataset); row["category"] = .string(s.category ?? "")
                    row["main_metric"] = .string(s.mainMetric); row["main"] = .finite(s.main)
                    row["examples"] = .integer(s.sampleCount)
                    try emit(scores, scoreColumns, row, s.metrics, metrics)
                }
                let values = try store.aggregates(model: model.id)
                if !values.isEmpty { try emit(aggregateFile, Self.modelColumns, base, values, aggregates) }
            }
        }
        try predictions.finish(); try scores.finish(); try aggregateFile.finish()
        return paths
    }
}
