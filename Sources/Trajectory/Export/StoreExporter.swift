import Foundation

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

    static func modelFields(_ run: StoredRun, _ m: StoredModel) -> [String: Any] {
        ["run": run.name, "kind": m.kind.rawValue, "step": m.step, "window": m.spec.window, "align": m.spec.align,
         "weights": m.spec.weights, "members": m.spec.members, "fingerprint": m.spec.fingerprint, "path": m.spec.path]
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
        let scoreColumns = Self.modelColumns + ["dataset", "category", "main_metric", "main", "examples"]
        if csv {
            try predictions.write(CSV.line(predictionColumns + metrics))
            try scores.write(CSV.line(scoreColumns + metrics))
            try aggregateFile.write(CSV.line(Self.modelColumns + aggregates))
        }
        func emit(_ writer: TextFileWriter, _ columns: [String], _ row: [String: Any], _ extra: [String: Double], _ extraColumns: [String]) throws {
            if csv {
                let fields = columns.map { key -> String in
                    switch row[key] {
                    case let list as [Int]: return list.map(String.init).joined(separator: " ")
                    case let d as Double: return CSV.number(d)
                    case let v?: return "\(v)"
                    case nil: return ""
                    }
                }
                try writer.write(CSV.line(fields + extraColumns.map { CSV.number(extra[$0]) }))
            } else {
                var object = row
                object["metrics"] = extra
                try writer.write(try JSONLines.line(object))
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
                        row["dataset"] = dataset.name; row["category"] = dataset.category ?? ""; row["example"] = p.index
                        row["input"] = inputs[dataset.id]?[p.index] ?? ""; row["prompt_hash"] = p.promptHash
                        row["prompt_tokens"] = p.promptTokens; row["generated"] = p.generated
                        row["prediction"] = p.prediction; row["gold"] = p.gold
                        try emit(predictions, predictionColumns, row, p.metrics, metrics)
                    }
                }
                for s in try store.scores(model: model.id) {
                    var row = base
                    row["dataset"] = s.dataset; row["category"] = s.category ?? ""; row["main_metric"] = s.mainMetric
                    row["main"] = s.main ?? .nan; row["examples"] = s.sampleCount
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
