import Evaluation
import Foundation

extension ResultStore {
    // MARK: datasets

    /// The dataset row for (name, content hash), created if new; example inputs are stored once per dataset.
    @discardableResult
    public func registerDataset(_ spec: DatasetSpec) throws -> StoredDataset {
        try transaction {
            let key = [SQLValue(spec.name), SQLValue(spec.contentHash)]
            let id: Int
            if let existing = try connection.query(
                "SELECT id FROM datasets WHERE name = ? AND content_hash = ?", key).first?.first?.int {
                id = existing
            } else {
                try connection.query("INSERT INTO datasets (name, content_hash, category, metrics) VALUES (?, ?, ?, ?)",
                                     key + [SQLValue(spec.category), SQLValue(MetricsJSON.encodeList(spec.metrics))])
                id = connection.lastInsertRowID
            }
            if !spec.inputs.isEmpty {
                let insert = try connection.prepare(
                    "INSERT OR IGNORE INTO examples (dataset_id, example, input) VALUES (?, ?, ?)")
                for (index, input) in spec.inputs.enumerated() {
                    try insert.run([SQLValue(id), SQLValue(index), SQLValue(input)])
                }
            }
            return StoredDataset(id: id, name: spec.name, contentHash: spec.contentHash, category: spec.category,
                                 metrics: spec.metrics, plannedExamples: nil)
        }
    }

    /// Records which datasets a run evaluates and how many examples of each (for `status`).
    public func planDatasets(run: Int, _ plan: [(dataset: Int, examples: Int)]) throws {
        try transaction {
            let upsert = try connection.prepare(
                "INSERT INTO run_datasets (run_id, dataset_id, planned_examples) VALUES (?, ?, ?)"
                    + " ON CONFLICT (run_id, dataset_id) DO UPDATE SET planned_examples = excluded.planned_examples")
            for entry in plan { try upsert.run([SQLValue(run), SQLValue(entry.dataset), SQLValue(entry.examples)]) }
        }
    }

    /// The datasets planned for a run, by name.
    public func datasets(run: Int) throws -> [StoredDataset] {
        try locked {
            try connection.query(
                "SELECT d.id, d.name, d.content_hash, d.category, d.metrics, r.planned_examples FROM datasets d"
                    + " JOIN run_datasets r ON r.dataset_id = d.id WHERE r.run_id = ? ORDER BY d.name, d.id",
                [SQLValue(run)]).map(decodeDataset)
        }
    }

    /// Every dataset in the store, by name.
    public func allDatasets() throws -> [StoredDataset] {
        try locked {
            try connection.query("SELECT id, name, content_hash, category, metrics, NULL FROM datasets ORDER BY name, id")
                .map(decodeDataset)
        }
    }

    private func decodeDataset(_ row: [SQLValue]) throws -> StoredDataset {
        StoredDataset(id: row[0].int ?? 0, name: row[1].text ?? "", contentHash: row[2].text ?? "",
                      category: row[3].text,
                      metrics: try MetricsJSON.decodeList(row[4].text ?? "[]", as: String.self, path: path),
                      plannedExamples: row[5].int)
    }

    /// Example inputs of a dataset by index (empty when none were stored).
    public func inputs(dataset: Int) throws -> [Int: String] {
        try locked {
            var result: [Int: String] = [:]
            for row in try connection.query("SELECT example, input FROM examples WHERE dataset_id = ?", [SQLValue(dataset)]) {
                if let index = row[0].int { result[index] = row[1].text ?? "" }
            }
            return result
        }
    }

    // MARK: predictions

    /// Example indices already stored for (model, dataset): what a resumed run skips.
    public func storedExamples(model: Int, dataset: Int) throws -> Set<Int> {
        try locked {
            Set(try connection.query("SELECT example FROM predictions WHERE model_id = ? AND dataset_id = ?",
                                     [SQLValue(model), SQLValue(dataset)]).compactMap { $0.first?.int })
        }
    }

    /// Writes one batch in one transaction. An example already stored is kept as it is (`replace: false`, what a
    /// resumed raw run wants) or overwritten (`replace: true`, e.g. a recomputed ensemble). Returns rows written.
    @discardableResult
    public func insertPredictions(_ predictions: [PredictionRecord], model: Int, dataset: Int,
                                  replace: Bool = false) throws -> Int {
        try transaction {
            let verb = replace ? "INSERT OR REPLACE" : "INSERT OR IGNORE"
            let insert = try connection.prepare(
                "\(verb) INTO predictions (model_id, dataset_id, example, prompt_hash, prompt_tokens, generated,"
                    + " prediction, gold, metrics, gold_logprob, gold_tokens, prediction_logprob, prediction_tokens)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            var written = 0
            for p in predictions {
                let l = p.logprobs
                try insert.run([SQLValue(model), SQLValue(dataset), SQLValue(p.index), SQLValue(p.promptHash),
                                SQLValue(p.promptTokens), SQLValue(p.generated), SQLValue(p.prediction),
                                SQLValue(p.gold), SQLValue(MetricsJSON.encode(p.metrics)),
                                SQLValue(l.map(\.gold).flatMap(Self.finite)), SQLValue(l?.goldTokens),
                                SQLValue(l.map(\.prediction).flatMap(Self.finite)), SQLValue(l?.predictionTokens)])
                written += connection.changes
            }
            return written
        }
    }

    /// Per-example predictions of (model, dataset), in example order.
    public func predictions(model: Int, dataset: Int) throws -> [PredictionRecord] {
        try locked {
            try connection.query(
                "SELECT example, prompt_hash, prompt_tokens, generated, prediction, gold, metrics, "
                    + logprobSelection + " FROM predictions WHERE model_id = ? AND dataset_id = ? ORDER BY example",
                [SQLValue(model), SQLValue(dataset)])
                .map { row in
                    PredictionRecord(index: row[0].int ?? 0, promptHash: row[1].text ?? "",
                                     promptTokens: row[2].int ?? 0, generated: row[3].text ?? "",
                                     prediction: row[4].text ?? "", gold: row[5].text ?? "",
                                     metrics: try MetricsJSON.decode(row[6].text ?? "{}", path: path),
                                     logprobs: Self.logprobs(Array(row[7...])))
                }
        }
    }

    /// The log-prob columns, or NULLs for a read-only store made before them.
    var logprobSelection: String {
        hasLogprobColumns ? StoreSchema.logprobColumns.map(\.0).joined(separator: ", ")
            : StoreSchema.logprobColumns.map { _ in "NULL" }.joined(separator: ", ")
    }

    /// All four values or none: they are computed together.
    private static func logprobs(_ v: [SQLValue]) -> ExampleLogprobs? {
        guard let gold = v[0].double, let goldTokens = v[1].int, let prediction = v[2].double,
              let predictionTokens = v[3].int else { return nil }
        return ExampleLogprobs(gold: gold, goldTokens: goldTokens, prediction: prediction, predictionTokens: predictionTokens)
    }

    /// A log-prob of −∞ (a token the model gives probability 0) is stored as NULL: SQLite has no infinities.
    private static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

    /// Stored prediction counts of a run's models: [model id: [dataset id: count]].
    public func predictionCounts(run: Int) throws -> [Int: [Int: Int]] {
        try locked {
            var counts: [Int: [Int: Int]] = [:]
            for row in try connection.query(
                "SELECT p.model_id, p.dataset_id, count(*) FROM predictions p JOIN models m ON m.id = p.model_id"
                    + " WHERE m.run_id = ? GROUP BY p.model_id, p.dataset_id", [SQLValue(run)]) {
                if let model = row[0].int, let dataset = row[1].int { counts[model, default: [:]][dataset] = row[2].int ?? 0 }
            }
            return counts
        }
    }

    // MARK: scores and aggregates

    /// Sets (replaces) the aggregate score of (model, dataset).
    public func setScore(_ score: DatasetScore, model: Int, dataset: Int) throws {
        try transaction {
            try connection.query(
                "INSERT OR REPLACE INTO scores (model_id, dataset_id, category, metrics, main_metric, main, examples)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [SQLValue(model), SQLValue(dataset), SQLValue(score.category), SQLValue(MetricsJSON.encode(score.metrics)),
                 SQLValue(score.mainMetric), score.main.flatMap { $0.isFinite ? .double($0) : nil } ?? .null, SQLValue(score.sampleCount)])
        }
    }

    /// Dataset scores of a model, by dataset name.
    /// Metrics a dataset lists but Kasane does not compute are not stored (`notComputed` comes back empty).
    public func scores(model: Int) throws -> [DatasetScore] {
        try locked {
            try connection.query(
                "SELECT d.name, s.category, s.metrics, s.main_metric, s.main, s.examples FROM scores s"
                    + " JOIN datasets d ON d.id = s.dataset_id WHERE s.model_id = ? ORDER BY d.name",
                [SQLValue(model)]).map { row in
                    DatasetScore(dataset: row[0].text ?? "", category: row[1].text,
                                 metrics: try MetricsJSON.decode(row[2].text ?? "{}", path: path),
                                 mainMetric: row[3].text ?? "", main: row[4].double, sampleCount: row[5].int ?? 0)
                }
        }
    }

    /// Replaces a model's category and AVG scores (keys: category names and "AVG").
    public func setAggregates(_ values: [String: Double], model: Int) throws {
        try transaction {
            try connection.query("DELETE FROM aggregates WHERE model_id = ?", [SQLValue(model)])
            let insert = try connection.prepare("INSERT INTO aggregates (model_id, name, value) VALUES (?, ?, ?)")
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                try insert.run([SQLValue(model), SQLValue(name), value.isFinite ? .double(value) : .null])
            }
        }
    }

    public func aggregates(model: Int) throws -> [String: Double] {
        try locked {
            var result: [String: Double] = [:]
            for row in try connection.query("SELECT name, value FROM aggregates WHERE model_id = ?", [SQLValue(model)]) {
                result[row[0].text ?? ""] = row[1].double ?? .nan
            }
            return result
        }
    }

    // MARK: timings

    /// Appends how long one (model, dataset) evaluation pass took (a resumed pass adds another row).
    public func recordTiming(model: Int, dataset: Int, seconds: Double, examples: Int, generatedTokens: Int) throws {
        try transaction {
            try connection.query(
                "INSERT INTO timings (model_id, dataset_id, seconds, examples, generated_tokens, recorded_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)",
                [SQLValue(model), SQLValue(dataset), .double(seconds), SQLValue(examples), SQLValue(generatedTokens),
                 SQLValue(ResultStore.now())])
        }
    }

    /// Evaluation time and generated tokens of a model, summed over its datasets and passes.
    public func timing(model: Int) throws -> (seconds: Double, examples: Int, generatedTokens: Int) {
        try locked {
            let row = try connection.query(
                "SELECT coalesce(sum(seconds), 0), coalesce(sum(examples), 0), coalesce(sum(generated_tokens), 0)"
                    + " FROM timings WHERE model_id = ?", [SQLValue(model)]).first
            return (row?[0].double ?? 0, row?[1].int ?? 0, row?[2].int ?? 0)
        }
    }
}
