import Evaluation
import Foundation
import JSON

/// Facts about a run that go into scores.json next to the scores.
public struct RunMetadata: Sendable {
    public var kasaneVersion: String
    public var modelPath: String
    public var modelFingerprint: String
    public var evalsetsRoot: String
    public var options: EvalOptions
    public var startedAt: Date
    public init(kasaneVersion: String, modelPath: String, modelFingerprint: String, evalsetsRoot: String,
                options: EvalOptions, startedAt: Date = Date()) {
        self.kasaneVersion = kasaneVersion; self.modelPath = modelPath; self.modelFingerprint = modelFingerprint
        self.evalsetsRoot = evalsetsRoot; self.options = options; self.startedAt = startedAt
    }
}

/// One model's results read back from the store, written as `predictions.jsonl` and `scores.json` (the files of
/// `kasane eval --model M --output OUT`), and the terminal summary.
public struct ModelReport {
    public var datasets: [EvalDataset]
    /// Per dataset (same order), its records in example order.
    public var records: [[PredictionRecord]]
    public var scores: [DatasetScore]
    public var aggregate: Aggregate
    public var metadata: RunMetadata
    /// Summed over the stored records and the store's timings (all passes of a resumed run).
    public var promptTokens: Int
    public var generatedTokens: Int
    public var seconds: Double

    /// The report of the one model a `kasane eval --model M --output` plan evaluated into its store.
    public init(plan: TrajectoryPlan, model: StoredModel, kasaneVersion: String, startedAt: Date) throws {
        try self.init(
            store: plan.store, model: model, datasets: plan.suite,
            metadata: RunMetadata(kasaneVersion: kasaneVersion, modelPath: model.spec.path,
                                  modelFingerprint: model.spec.fingerprint, evalsetsRoot: plan.request.setup.evalsets,
                                  options: plan.request.setup.evalOptions, startedAt: startedAt))
    }

    /// Reads `model`'s records of every dataset of `datasets` from the store and scores them.
    public init(store: ResultStore, model: StoredModel, datasets: [EvalDataset], metadata: RunMetadata) throws {
        let stored = Dictionary(try store.datasets(run: model.runID).map { ($0.name, $0.id) }, uniquingKeysWith: { a, _ in a })
        self.datasets = datasets
        self.metadata = metadata
        records = try datasets.map { d in
            guard let id = stored[d.name] else { throw TrajectoryError.notFound(path: store.path, what: "dataset '\(d.name)'") }
            return try store.predictions(model: model.id, dataset: id).filter { $0.index < d.samples.count }
        }
        scores = try zip(datasets, records).map { try Scoring.score($0, records: $1, bleu: metadata.options.bleu) }
        aggregate = Scoring.aggregate(scores)
        let timing = try store.timing(model: model.id)
        promptTokens = records.joined().reduce(0) { $0 + $1.promptTokens }
        generatedTokens = timing.generatedTokens
        seconds = timing.seconds
    }

    public var sampleCount: Int { records.reduce(0) { $0 + $1.count } }


    /// One JSON object per line: dataset, category, index, prompt, prompt_tokens, generated, prediction, gold,
    /// one field per per-example metric and, when computed, the log-prob fields. The prompt is rendered again from the dataset (the store keeps its hash).
    static func predictionLine(_ r: PredictionRecord, dataset: EvalDataset, prompt: String) -> String {
        var object: [String: JSONValue] = [
            "dataset": .string(dataset.name), "category": .string(dataset.category ?? ""), "index": .integer(r.index),
            "prompt": .string(prompt), "prompt_tokens": .integer(r.promptTokens), "generated": .string(r.generated),
            "prediction": .string(r.prediction), "gold": .string(r.gold),
        ]
        for (k, v) in r.metrics { object[k] = .finite(v) }
        object.merge(StoreExporter.logprobFields(r.logprobs)) { _, new in new }
        return JSONWriter.string(.dictionary(object), sortKeys: true)
    }

    func scoresObject() -> JSONValue {
        var perDataset: [String: JSONValue] = [:]
        for s in scores {
            perDataset[s.dataset] = [
                "category": .string(s.category ?? ""), "metrics": .numbers(s.metrics),
                "not_computed": .dictionary(s.notComputed.mapValues(JSONValue.string)),
                "main_metric": .string(s.mainMetric), "main": .finite(s.main), "samples": .integer(s.sampleCount),
            ]
        }
        let o = metadata.options
        var settings: [String: JSONValue] = [
            "split": .string(o.split), "shots": .integer(o.shots), "max_samples": .integer(o.maxSamples),
            "add_bos": .bool(o.addBOS), "strip": .bool(o.strip), "bleu": .string(o.bleu.rawValue),
            "batch_size": .integer(o.batchSize), "prefix_cache": .bool(o.usePrefixCache),
            "logprobs": .bool(o.logprobs),
            "zero_shot_datasets": .strings(o.zeroShotDatasets.sorted()), "greedy": true,
            "max_new_tokens": "output_length",
        ]
        if let d = o.datasets { settings["datasets"] = .strings(d) }
        if let c = o.categories { settings["categories"] = .strings(c) }
        if let t = o.customPromptTemplate { settings["custom_prompt_template"] = .string(t) }
        if let t = o.customFewshotsTemplate { settings["custom_fewshots_template"] = .string(t) }
        let files = Dictionary(uniqueKeysWithValues: datasets.map {
            ($0.name, ["path": .string($0.path), "sha256": .string($0.contentHash)] as JSONValue)
        })
        return [
            "datasets": .dictionary(perDataset),
            "categories": .numbers(aggregate.categories),
            "category_labels": .dictionary(aggregate.labels.mapValues(JSONValue.string)),
            "categories_not_computed": .dictionary(aggregate.notComputed.mapValues(JSONValue.string)),
            "avg": .finite(aggregate.avg),
            "avg_excludes": .strings(Array(Categories.excludedFromAverage).sorted()),
            "metadata": [
                "kasane_version": .string(metadata.kasaneVersion),
                "protocol": "llm-jp-eval v1.4.1",
                "model": ["path": .string(metadata.modelPath), "fingerprint": .string(metadata.modelFingerprint)],
                "evalsets": ["root": .string(metadata.evalsetsRoot), "files": .dictionary(files)],
                "settings": .dictionary(settings),
                "started_at": .string(ISO8601DateFormatter().string(from: metadata.startedAt)),
                "wall_seconds": .number(seconds),
                "tokens": ["prompt": .integer(promptTokens), "generated": .integer(generatedTokens),
                           "total": .integer(promptTokens + generatedTokens)],
                "samples": .integer(sampleCount),
            ],
        ]
    }

    /// Writes both files into `directory` (created if needed).
    public func write(to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TrajectoryError.output(path: directory, reason: "cannot create output folder (\(error.localizedDescription))")
        }
        var lines: [String] = []
        for (dataset, rows) in zip(datasets, records) {
            let builder = try PromptBuilder(dataset: dataset, options: metadata.options)
            for r in rows {
                lines.append(Self.predictionLine(r, dataset: dataset,
                                                     prompt: builder.render(input: dataset.samples[r.index].input)))
            }
        }
        let predictions = lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
        let scores = JSONWriter.string(scoresObject(), layout: .indented(2), sortKeys: true)
        try OutputFile.write(Data(predictions.utf8), to: (directory as NSString).appendingPathComponent("predictions.jsonl"))
        try OutputFile.write(Data((scores + "\n").utf8), to: (directory as NSString).appendingPathComponent("scores.json"))
    }

    /// The readable table printed at the end of a run.
    public var summary: String {
        var lines: [String] = []
        let header = Self.pad("dataset", 20) + Self.pad("category", 9) + Self.pad("metric", 13) + Self.pad("score", 9) + "samples"
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for s in scores {
            let value = s.main.map { String(format: "%.4f", $0) } ?? "n/c"
            lines.append(Self.pad(s.dataset, 20) + Self.pad(s.category ?? "-", 9) + Self.pad(s.mainMetric, 13)
                         + Self.pad(value, 9) + "\(s.sampleCount)")
            for (metric, v) in s.metrics.sorted(by: { $0.key < $1.key }) where metric != s.mainMetric {
                lines.append(Self.pad("", 29) + Self.pad(metric, 13) + String(format: "%.4f", v))
            }
            for metric in s.notComputed.keys.sorted() { lines.append(Self.pad("", 29) + Self.pad(metric, 13) + "not computed") }
        }
        lines.append("")
        let cats = Categories.order.filter { aggregate.categories[$0] != nil }
        for c in cats {
            let note = aggregate.labels[c].map { "  (\($0))" } ?? (Categories.excludedFromAverage.contains(c) ? "  (not in AVG)" : "")
            lines.append(Self.pad(c, 9) + String(format: "%.4f", aggregate.categories[c] ?? 0) + note)
        }
        for (c, why) in aggregate.notComputed.sorted(by: { $0.key < $1.key }) { lines.append(Self.pad(c, 9) + "not computed (\(why))") }
        lines.append(Self.pad("AVG", 9) + (aggregate.avg.map { String(format: "%.4f", $0) } ?? "-")
                     + "  (mean of \(cats.filter { !Categories.excludedFromAverage.contains($0) }.count) categories)")
        let tokens = promptTokens + generatedTokens
        lines.append(String(format: "%d samples, %d tokens in %.1f s (%.0f tok/s)", sampleCount, tokens,
                            seconds, seconds > 0 ? Double(tokens) / seconds : 0))
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
