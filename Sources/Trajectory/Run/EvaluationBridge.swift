import Evaluation
import Foundation

/// Conversions between the evaluation layer's records and the store's.
public enum EvaluationBridge {
    /// The dataset's identity in the store: the split file's SHA-256, combined with the few-shot examples and the
    /// instruction actually used when there are shots (a changed train file changes every prompt).
    public static func datasetSpec(_ d: EvalDataset) -> DatasetSpec {
        var hash = d.contentHash
        if !d.shots.isEmpty {
            var hasher = SHA256()
            hasher.update(d.contentHash)
            for shot in d.shots { hasher.update("\u{1e}\(shot.input)\u{1f}\(shot.output)") }
            hash = hasher.finalizeHex()
        }
        return DatasetSpec(name: d.name, contentHash: hash, category: d.category, metrics: d.metrics,
                           inputs: d.samples.map(\.input))
    }

    public static func stored(_ r: PredictionRecord) -> StoredPrediction {
        StoredPrediction(index: r.index, promptHash: SHA256.hex(r.prompt), promptTokens: r.promptTokens,
                         generated: r.generated, prediction: r.prediction, gold: r.gold, metrics: r.metrics)
    }

    public static func stored(_ s: DatasetScore) -> StoredScore {
        StoredScore(dataset: s.dataset, category: s.category.isEmpty ? nil : s.category, metrics: s.metrics,
                    mainMetric: s.mainMetric, main: s.main ?? .nan, examples: s.sampleCount)
    }

    public static func datasetScore(_ s: StoredScore) -> DatasetScore {
        DatasetScore(dataset: s.dataset, category: s.category ?? "", metrics: s.metrics, mainMetric: s.mainMetric,
                     main: s.main.isFinite ? s.main : nil, sampleCount: s.examples)
    }

    /// Category scores and "AVG" the way the evaluation layer aggregates (v1.4.1 categories, STS excluded).
    public static func aggregate(_ scores: [StoredScore]) -> [String: Double] {
        let aggregate = Scoring.aggregateDetailed(scores.map(datasetScore))
        var values = aggregate.categories
        if let avg = aggregate.avg { values["AVG"] = avg }
        return values
    }

    /// The settings that change results, as stored with a run.
    public static func settings(_ o: EvalOptions, tokenizerSHA256: String) -> StoreSettings {
        var values: [String: String] = [
            "split": o.split, "shots": String(o.shots), "max_samples": String(o.maxSamples),
            "add_bos": String(o.addBOS), "strip": String(o.strip), "bleu": o.bleu.rawValue,
            "tokenizer_sha256": tokenizerSHA256,
            "zero_shot_datasets": o.zeroShotDatasets.sorted().joined(separator: ","),
        ]
        if let t = o.customPromptTemplate { values["prompt_template"] = t }
        if let t = o.customFewshotsTemplate { values["fewshots_template"] = t }
        return StoreSettings(values)
    }
}
