import Evaluation
import Foundation

/// How a run and its datasets are keyed in the store: what changes results is part of the key.
public enum RunKeys {
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

    /// The settings key of the COMET model (`CometFingerprint`) whose segment scores a run holds.
    public static let cometModel = "comet_model"

    /// The settings that change results, as stored with a run; `comet` is the COMET model's fingerprint.
    public static func settings(_ o: EvalOptions, tokenizerSHA256: String, comet: String? = nil) -> StoreSettings {
        var values: [String: String] = [
            "split": o.split, "shots": String(o.shots), "max_samples": String(o.maxSamples),
            "add_bos": String(o.addBOS), "strip": String(o.strip), "bleu": o.bleu.rawValue,
            "tokenizer_sha256": tokenizerSHA256,
            "zero_shot_datasets": o.zeroShotDatasets.sorted().joined(separator: ","),
        ]
        if let t = o.customPromptTemplate { values["prompt_template"] = t }
        if let t = o.customFewshotsTemplate { values["fewshots_template"] = t }
        if let comet { values[cometModel] = comet }
        return StoreSettings(values)
    }
}
