import Evaluation

/// What stability analysis and the ensemble read: for one trajectory (raw checkpoints, an averaged or an ensembled
/// trajectory), per dataset the aggregate score at every position and, per example, the normalized prediction and
/// per-example score at every position. Positions are ordered oldest first; `steps[t]` labels position t.
public struct TrajectoryTable: Sendable {
    public var steps: [Int]
    public var datasets: [DatasetSeries]

    public init(steps: [Int], datasets: [DatasetSeries]) {
        self.steps = steps
        self.datasets = datasets
    }

    /// Checks that every series has one value per position.
    public func validate() throws {
        for d in datasets {
            guard d.scores.count == steps.count else {
                throw TrajectoryError.inconsistentTable(
                    dataset: d.dataset, reason: "\(d.scores.count) scores for \(steps.count) positions")
            }
            for e in d.examples {
                guard e.predictions.count == steps.count, e.scores.map({ $0.count == steps.count }) ?? true else {
                    throw TrajectoryError.inconsistentTable(
                        dataset: d.dataset, reason: "example \(e.index) has a series of the wrong length")
                }
            }
        }
    }

    /// The same table restricted to the given positions (in order).
    public func restricted(to positions: [Int]) -> TrajectoryTable {
        TrajectoryTable(steps: positions.map { steps[$0] }, datasets: datasets.map { $0.restricted(to: positions) })
    }
}

public struct DatasetSeries: Sendable {
    public var dataset: String
    public var category: String
    /// The ⭐ metric whose aggregate is `scores` and whose per-example values are the examples' `scores`.
    public var mainMetric: String
    /// The dataset's metric list (what the ensemble rescoring needs).
    public var metrics: [String]
    /// S_D(t), on llm-jp-eval's category scale (stored value × `scale`).
    public var scores: [Double]
    /// Factor from the stored metric values to the table's (0.01 for BLEU/ROUGE main metrics, else 1).
    public var scale: Double = 1
    public var examples: [ExampleSeries]

    public init(dataset: String, category: String, mainMetric: String, metrics: [String] = [], scores: [Double],
                examples: [ExampleSeries]) {
        self.dataset = dataset
        self.category = category
        self.mainMetric = mainMetric
        self.metrics = metrics.isEmpty ? [mainMetric] : metrics
        self.scores = scores
        self.examples = examples
    }

    /// Whether every example has a per-example score (corpus-level metrics such as pearson do not).
    public var hasExampleScores: Bool { !examples.isEmpty && examples.allSatisfy { $0.scores != nil } }

    public func restricted(to positions: [Int]) -> DatasetSeries {
        var copy = self
        copy.scores = positions.map { scores[$0] }
        copy.examples = examples.map { $0.restricted(to: positions) }
        return copy
    }
}

public struct ExampleSeries: Sendable {
    public var index: Int
    public var gold: String
    /// pred(e, t): normalized predictions.
    public var predictions: [String]
    /// s(e, t), nil for corpus-level metrics.
    public var scores: [Double]?
    /// The original input (for metrics that need the source, e.g. COMET).
    public var input: String
    /// The stored log-probs at each position (nil where not computed); nil when the table carries none.
    public var logprobs: [ExampleLogprobs?]?

    public init(index: Int, gold: String, predictions: [String], scores: [Double]?, input: String = "",
                logprobs: [ExampleLogprobs?]? = nil) {
        self.index = index
        self.gold = gold
        self.predictions = predictions
        self.scores = scores
        self.input = input
        self.logprobs = logprobs
    }

    public func restricted(to positions: [Int]) -> ExampleSeries {
        ExampleSeries(index: index, gold: gold, predictions: positions.map { predictions[$0] },
                      scores: scores.map { s in positions.map { s[$0] } }, input: input,
                      logprobs: logprobs.map { l in positions.map { l[$0] } })
    }
}
