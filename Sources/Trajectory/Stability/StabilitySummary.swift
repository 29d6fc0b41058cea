/// The stability numbers of one level (a dataset, a category or AVG) over the analysed positions. Every value is nil
/// where it is undefined (e.g. per-example MTV of a corpus-level metric, noise with a zero mean).
public struct StabilityMetrics: Sendable, Codable, Equatable {
    /// Mean of the aggregate score over the positions.
    public var meanScore: Double?
    /// MTV on the aggregate score series (S_D, S_c or S_AVG).
    public var aggregateMTV: Double?
    /// Per-example MTV on s(e, t), reduced by mean over examples → datasets → categories.
    public var exampleMTV: Double?
    /// IS, reduced like per-example MTV.
    public var instability: Double?
    /// Per-example correctness flip rate, reduced like per-example MTV.
    public var flipRate: Double?
    /// Fraction of examples that flip at least once, reduced like per-example MTV.
    public var flippedOnce: Double?
    /// Total up-flips (0 → 1) and down-flips (1 → 0) over all adjacent pairs and examples.
    public var upFlips: Int?
    public var downFlips: Int?
    /// std / mean of the aggregate score series.
    public var noise: Double?
    /// Dataset rows with stored log-probs: mean and MTV of the series "mean gold log-prob over examples".
    public var goldLogprobMean: Double?
    public var goldLogprobMTV: Double?
    /// Dataset rows: signal-to-noise of the score and of the mean gold log-prob (`SignalToNoise`).
    public var signalToNoise: Double?
    public var goldLogprobSignalToNoise: Double?

    public init(meanScore: Double? = nil, aggregateMTV: Double? = nil, exampleMTV: Double? = nil,
                instability: Double? = nil, flipRate: Double? = nil, flippedOnce: Double? = nil, upFlips: Int? = nil,
                downFlips: Int? = nil, noise: Double? = nil) {
        self.meanScore = meanScore
        self.aggregateMTV = aggregateMTV
        self.exampleMTV = exampleMTV
        self.instability = instability
        self.flipRate = flipRate
        self.flippedOnce = flippedOnce
        self.upFlips = upFlips
        self.downFlips = downFlips
        self.noise = noise
    }
}

extension StabilityMetrics {
    /// Mean and MTV of a mean-gold-log-prob series (nothing when there is none).
    mutating func setGold(_ series: [Double]?) {
        guard let series else { return }
        goldLogprobMean = SeriesMetrics.mean(series)
        goldLogprobMTV = SeriesMetrics.meanTotalVariation(series)
    }
}

public enum StabilityLevel: String, Sendable, Codable {
    case dataset, category, average
}

public struct StabilityRow: Sendable, Codable, Equatable {
    public var level: StabilityLevel
    /// Dataset name, category name, or "AVG".
    public var name: String
    public var category: String
    public var metrics: StabilityMetrics
}

/// Per-example values, for the export and the heatmap.
public struct ExampleStability: Sendable, Codable, Equatable {
    public var dataset: String
    public var index: Int
    public var exampleMTV: Double?
    public var instability: Double?
    public var flipRate: Double?
    /// c(e, t) per position, when the dataset has per-example scores.
    public var correct: [Bool]?
}

/// Up- and down-flips of one adjacent pair of positions (t, t+1) of one dataset.
public struct PairFlips: Sendable, Codable, Equatable {
    public var fromStep: Int
    public var toStep: Int
    public var up: Int
    public var down: Int
}

public struct StabilitySummary: Sendable, Codable {
    /// Steps of the analysed positions.
    public var steps: [Int]
    public var datasets: [StabilityRow]
    public var categories: [StabilityRow]
    public var average: StabilityRow?
    public var examples: [ExampleStability]
    public var pairFlips: [String: [PairFlips]]
    /// S_c(t) and S_AVG(t) per position, for plots.
    public var categorySeries: [String: [Double]]
    public var averageSeries: [Double]?
    /// The mean gold log-prob series of categories and "AVG" (mean of the member datasets' series), where every
    /// member has stored log-probs; for the report's gold log-prob figure.
    public var goldSeries: [String: [Double]] = [:]

    public var allRows: [StabilityRow] { datasets + categories + (average.map { [$0] } ?? []) }
}
