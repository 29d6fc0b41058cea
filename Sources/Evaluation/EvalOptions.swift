/// How BLEU is computed. See docs/EVALUATION.md.
public enum BleuMode: String, Sendable, Codable, CaseIterable {
    /// Real sacrebleu corpus BLEU over the dataset (`BLEU().corpus_score(preds, [golds])`), 13a tokenizer for en.
    /// bleu_ja needs the ja-mecab tokenizer (MeCab + IPAdic), which Kasane does not have: reported "not computed".
    case sacrebleu
    /// llm-jp-eval v1.4.1's call pattern: `corpus_score(pred_string, [gold_string])` per sample, which pairs
    /// character k of the prediction with character k of the gold; mean over samples.
    case llmJpEvalCompat = "llm-jp-eval-compat"
}

/// Everything that changes what an evaluation run computes. Defaults are llm-jp-eval v1.4.1's.
public struct EvalOptions: Sendable, Codable, Equatable {
    public var split: String = "dev"
    /// Few-shot examples per prompt, the first ones of the train split.
    public var shots: Int = 4
    /// Samples scored per dataset, the first ones of the split; ≤ 0 means all.
    public var maxSamples: Int = 100
    /// Dataset names to evaluate; nil = every file of the split.
    public var datasets: [String]? = nil
    /// Category names (NLI, QA, RC, MC, EL, FA, MR, MT, HE, CG, SUM, STS) to keep; nil = all.
    public var categories: [String]? = nil
    /// v1.4.1 tokenizes prompts with `add_special_tokens=False` (no BOS).
    public var addBOS: Bool = false
    /// Strip Unicode whitespace (Python `str.strip()`) from predictions after NFKC. The v1.4.x behaviour as far as
    /// the spec can tell; v1.3.0 did not strip. Golds are never stripped.
    public var strip: Bool = true
    public var bleu: BleuMode = .sacrebleu
    /// Samples decoded together (KV slots of continuous batching). 16 by measurement (docs/BENCHMARKS.md, "Slot
    /// count"): 8 → 16 → 32 slots took 12.5 → 12.3 → 11.6 s on a 150m shape, and 32 fp32 KV slots of a 7B model
    /// would not fit beside its weights in 24 GB.
    public var batchSize: Int = 16
    /// Prefill the instruction+shots prefix once per dataset and reuse its KV cache.
    public var usePrefixCache: Bool = true
    /// Also compute each example's gold log-prob (teacher-forced) and its prediction's own log-prob, in the same
    /// pass. They do not change predictions or scores, so they are not part of a run's stored settings.
    public var logprobs: Bool = true
    /// llm-jp-eval `custom_prompt_template` / `custom_fewshots_template` (Python str.format placeholders).
    public var customPromptTemplate: String? = nil
    public var customFewshotsTemplate: String? = nil
    /// Datasets that v1.4.x evaluates 0-shot whatever `shots` says.
    public var zeroShotDatasets: Set<String> = ["mbpp", "xlsum_ja"]

    public init() {}
}

extension EvalOptions {
    /// Refuses settings no evaluation can run with. The suite loader checks first, so a bad value fails before any
    /// model is loaded; `kasane slurm` checks before it submits a task.
    public func validate() throws {
        guard shots >= 0 else {
            throw EvaluationError.invalidValue(path: "--shots", field: "shots", detail: "must be ≥ 0 (found \(shots))")
        }
        guard batchSize >= 1 else {
            throw EvaluationError.invalidValue(path: "--batch-size", field: "batch_size",
                                               detail: "must be ≥ 1 (found \(batchSize))")
        }
    }
}
