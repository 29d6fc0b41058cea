/// One evaluated example of one dataset, as the Evaluator produces it and the result store keeps it.
public struct PredictionRecord: Codable, Sendable, Equatable {
    /// Index of the sample in the dataset's split.
    public var index: Int
    /// SHA-256 of the prompt text (the prompt itself is re-rendered from the dataset when needed).
    public var promptHash: String
    public var promptTokens: Int
    /// Raw generated text (special tokens skipped), up to where generation stopped.
    public var generated: String
    /// Post-processed prediction (NFKC of the text before the first "\n\n", stripped if enabled): what is scored,
    /// what MTV/IS/ensembles compare.
    public var prediction: String
    /// NFKC of the sample's output.
    public var gold: String
    /// Per-example metric values (exact_match 0/1, char_f1, set_f1, bleu_*); corpus-level metrics are absent.
    public var metrics: [String: Double]
    /// Probability dynamics (nil when not computed: `--no-logprobs`, ensembles, rows stored before they existed).
    public var logprobs: ExampleLogprobs?

    public init(index: Int, promptHash: String, promptTokens: Int, generated: String, prediction: String,
                gold: String, metrics: [String: Double], logprobs: ExampleLogprobs? = nil) {
        self.index = index; self.promptHash = promptHash; self.promptTokens = promptTokens
        self.generated = generated; self.prediction = prediction; self.gold = gold; self.metrics = metrics
        self.logprobs = logprobs
    }
}

/// One example's log-probabilities (natural logs, log-softmax over the full vocabulary in Double).
public struct ExampleLogprobs: Codable, Sendable, Equatable {
    /// Σ log p of the gold output's tokens, teacher-forced after the prompt. The tokens follow lm-eval:
    /// `encode(prompt + output)[len(encode(prompt)):]`, scored after `encode(prompt)`.
    public var gold: Double
    public var goldTokens: Int
    /// Σ log p of the generated ids as the model produced them (a final EOS and the ids that made "\n\n" count;
    /// the text after "\n\n" is never generated).
    public var prediction: Double
    public var predictionTokens: Int

    public init(gold: Double, goldTokens: Int, prediction: Double, predictionTokens: Int) {
        self.gold = gold; self.goldTokens = goldTokens; self.prediction = prediction; self.predictionTokens = predictionTokens
    }

    /// Mean log p per generated id (what a confidence vote weighs by); nil for an empty generation.
    public var meanPredictionLogprob: Double? { predictionTokens > 0 ? prediction / Double(predictionTokens) : nil }
}

/// The scores of one dataset.
public struct DatasetScore: Codable, Sendable, Equatable {
    public var dataset: String
    /// v1.4.1 category, nil for a dataset outside the v1.4.1 table.
    public var category: String?
    /// Computed metrics (exact_match, char_f1, set_f1 and correlations in [0,1] / [-1,1]; BLEU 0…100).
    public var metrics: [String: Double]
    /// Metrics listed by the dataset that Kasane does not compute, with the reason. Never given a substitute value.
    public var notComputed: [String: String]
    /// The metric this dataset contributes to its category (v1.4.1's, or a labelled stand-in such as BLEU for MT).
    public var mainMetric: String
    /// Its value, nil when that metric is not computed.
    public var main: Double?
    public var sampleCount: Int

    public init(dataset: String, category: String?, metrics: [String: Double], notComputed: [String: String] = [:],
                mainMetric: String, main: Double?, sampleCount: Int) {
        self.dataset = dataset; self.category = category; self.metrics = metrics; self.notComputed = notComputed
        self.mainMetric = mainMetric; self.main = main; self.sampleCount = sampleCount
    }
}

/// Category scores and AVG over a set of dataset scores.
public struct Aggregate: Codable, Sendable, Equatable {
    /// Category → mean of its datasets' main metric (only categories with at least one computed dataset).
    public var categories: [String: Double]
    /// Mean of the categories present, STS excluded; nil when none.
    public var avg: Double?
    /// How a category score was made when it is not v1.4.1's own metric (e.g. "MT": "bleu/100; comet_wmt22 not computed").
    public var labels: [String: String]
    /// Categories with datasets but no computable main metric (e.g. CG), with the reason; not in AVG.
    public var notComputed: [String: String]

    /// Categories and "AVG" in one map, as the result store keeps them.
    public var values: [String: Double] {
        var out = categories
        if let avg { out["AVG"] = avg }
        return out
    }
}
