/// How predictions of two consecutive checkpoints are compared for IS (spec §5, §7.1).
public enum PredictionSimilarity: Sendable {
    /// sim = 1 when the normalized predictions are identical, else 0.
    case exact
    /// A metric-based similarity: called with the dataset, the earlier prediction (as the reference) and the later one.
    case metric(name: String, function: @Sendable (DatasetSeries, String, String) -> Double)

    public var name: String {
        switch self {
        case .exact: return "exact"
        case let .metric(name, _): return name
        }
    }

    func callAsFunction(_ dataset: DatasetSeries, _ a: String, _ b: String) -> Double {
        switch self {
        case .exact: return SeriesMetrics.exactSimilarity(a, b)
        case let .metric(_, function): return function(dataset, a, b)
        }
    }
}

/// `--sim`: how the instability score compares two predictions.
public enum SimilarityKind: String, Sendable, CaseIterable {
    /// Identical normalized predictions.
    case exact
    /// The dataset's main metric with the earlier prediction as the reference (`MetricSimilarity`).
    case metric

    public var similarity: PredictionSimilarity { self == .exact ? .exact : MetricSimilarity.similarity }
}

public struct StabilityOptions: Sendable {
    public var similarity: PredictionSimilarity
    /// τ: an example counts as correct at t when s(e, t) ≥ τ (spec §11.2).
    public var correctnessThreshold: Double
    /// Degrees of freedom subtracted in the noise standard deviation (0 = population std).
    public var noiseDdof: Int
    /// Categories whose mean is AVG; the paper's nine by default.
    public var averageCategories: [String]
    /// Bootstrap resamples over examples for confidence intervals and paired tests (0: none; a negative count too).
    public var bootstrapResamples: Int
    public var bootstrapSeed: UInt64

    public static let paperCategories = ["NLI", "QA", "RC", "MC", "EL", "FA", "MR", "MT", "HE"]

    public init(similarity: PredictionSimilarity = .exact, correctnessThreshold: Double = 1.0, noiseDdof: Int = 0,
                averageCategories: [String] = StabilityOptions.paperCategories, bootstrapResamples: Int = 0,
                bootstrapSeed: UInt64 = ExampleStatistics.defaultSeed) {
        self.similarity = similarity
        self.correctnessThreshold = correctnessThreshold
        self.noiseDdof = noiseDdof
        self.averageCategories = averageCategories
        self.bootstrapResamples = max(0, bootstrapResamples)
        self.bootstrapSeed = bootstrapSeed
    }
}
