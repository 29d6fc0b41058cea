import Foundation

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

/// Writes `predictions.jsonl` and `scores.json`, and renders the terminal summary.
public enum EvalReport {
    /// One JSON object per line: dataset, category, index, prompt, prompt_tokens, generated, prediction, gold, and
    /// one field per per-example metric.
    public static func predictionLine(_ r: PredictionRecord) throws -> String {
        var object: [String: Any] = [
            "dataset": r.dataset, "category": r.category, "index": r.index, "prompt": r.prompt,
            "prompt_tokens": r.promptTokens, "generated": r.generated, "prediction": r.prediction, "gold": r.gold,
        ]
        for (k, v) in r.metrics { object[k] = v }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    public static func scoresObject(_ result: EvalResult, datasets: [EvalDataset], metadata: RunMetadata) -> [String: Any] {
        var perDataset: [String: Any] = [:]
        for s in result.scores {
            perDataset[s.dataset] = [
                "category": s.category, "metrics": s.metrics, "not_computed": s.notComputed,
                "main_metric": s.mainMetric, "main": s.main as Any? ?? NSNull(), "samples": s.sampleCount,
            ] as [String: Any]
        }
        let o = metadata.options
        var settings: [String: Any] = [
            "split": o.split, "shots": o.shots, "max_samples": o.maxSamples, "add_bos": o.addBOS, "strip": o.strip,
            "bleu": o.bleu.rawValue, "batch_size": o.batchSize, "prefix_cache": o.usePrefixCache,
            "zero_shot_datasets": o.zeroShotDatasets.sorted(), "greedy": true, "max_new_tokens": "output_length",
        ]
        if let d = o.datasets { settings["datasets"] = d }
        if let c = o.categories { settings["categories"] = c }
        if let t = o.customPromptTemplate { settings["custom_prompt_template"] = t }
        if let t = o.customFewshotsTemplate { settings["custom_fewshots_template"] = t }
        let formatter = ISO8601DateFormatter()
        return [
            "datasets": perDataset,
            "categories": result.aggregate.categories,
            "category_labels": result.aggregate.labels,
            "categories_not_computed": result.aggregate.notComputed,
            "avg": result.aggregate.avg as Any? ?? NSNull(),
            "avg_excludes": Array(Categories.excludedFromAverage).sorted(),
            "metadata": [
                "kasane_version": metadata.kasaneVersion,
                "protocol": "llm-jp-eval v1.4.1",
                "model": ["path": metadata.modelPath, "fingerprint": metadata.modelFingerprint],
                "evalsets": ["root": metadata.evalsetsRoot,
                             "files": Dictionary(uniqueKeysWithValues: datasets.map { ($0.name, ["path": $0.path, "sha256": $0.contentHash]) })],
                "settings": settings,
                "started_at": formatter.string(from: metadata.startedAt),
                "wall_seconds": result.wallSeconds,
                "tokens": ["prompt": result.counters.promptTokens, "generated": result.counters.generatedTokens,
                           "total": result.counters.promptTokens + result.counters.generatedTokens],
                "samples": result.counters.samples,
            ] as [String: Any],
        ]
    }

    /// Writes both files into `directory` (created if needed).
    public static func write(_ result: EvalResult, datasets: [EvalDataset], metadata: RunMetadata, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EvaluationError.output(path: directory, detail: "cannot create output folder (\(error.localizedDescription))")
        }
        let predictions = try result.records.map(predictionLine).joined(separator: "\n") + (result.records.isEmpty ? "" : "\n")
        let scores = try JSONSerialization.data(withJSONObject: scoresObject(result, datasets: datasets, metadata: metadata),
                                                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        try writeFile(Data(predictions.utf8), to: (directory as NSString).appendingPathComponent("predictions.jsonl"))
        try writeFile(scores + Data("\n".utf8), to: (directory as NSString).appendingPathComponent("scores.json"))
    }

    private static func writeFile(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw EvaluationError.output(path: path, detail: "cannot write (\(error.localizedDescription))")
        }
    }

    /// The readable table printed at the end of a run.
    public static func summary(_ result: EvalResult) -> String {
        var lines: [String] = []
        let header = pad("dataset", 20) + pad("category", 9) + pad("metric", 13) + pad("score", 9) + "samples"
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for s in result.scores {
            let value = s.main.map { String(format: "%.4f", $0) } ?? "n/c"
            lines.append(pad(s.dataset, 20) + pad(s.category.isEmpty ? "-" : s.category, 9) + pad(s.mainMetric, 13)
                         + pad(value, 9) + "\(s.sampleCount)")
            for (metric, v) in s.metrics.sorted(by: { $0.key < $1.key }) where metric != s.mainMetric {
                lines.append(pad("", 29) + pad(metric, 13) + String(format: "%.4f", v))
            }
            for metric in s.notComputed.keys.sorted() { lines.append(pad("", 29) + pad(metric, 13) + "not computed") }
        }
        lines.append("")
        let cats = Categories.order.filter { result.aggregate.categories[$0] != nil }
        for c in cats {
            let note = result.aggregate.labels[c].map { "  (\($0))" } ?? (Categories.excludedFromAverage.contains(c) ? "  (not in AVG)" : "")
            lines.append(pad(c, 9) + String(format: "%.4f", result.aggregate.categories[c] ?? 0) + note)
        }
        for (c, why) in result.aggregate.notComputed.sorted(by: { $0.key < $1.key }) { lines.append(pad(c, 9) + "not computed (\(why))") }
        lines.append(pad("AVG", 9) + (result.aggregate.avg.map { String(format: "%.4f", $0) } ?? "-")
                     + "  (mean of \(cats.filter { !Categories.excludedFromAverage.contains($0) }.count) categories)")
        let tokens = result.counters.promptTokens + result.counters.generatedTokens
        lines.append(String(format: "%d samples, %d tokens in %.1f s (%.0f tok/s)", result.counters.samples, tokens,
                            result.wallSeconds, result.wallSeconds > 0 ? Double(tokens) / result.wallSeconds : 0))
        return lines.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
