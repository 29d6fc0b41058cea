/// Scores a full set of predictions of one dataset the way normal predictions are scored (per-example metrics, then
/// the dataset's aggregation, corpus-level metrics over all predictions). The evaluation layer supplies the real one.
public protocol DatasetRescorer: Sendable {
    func rescore(_ dataset: DatasetSeries, predictions: [String]) throws -> RescoredDataset
}

public struct RescoredDataset: Sendable {
    /// Per-example metric values, in the order of the predictions.
    public var perExample: [[String: Double]]
    /// The dataset's aggregate metrics.
    public var metrics: [String: Double]
    /// The aggregate of the ⭐ metric.
    public var main: Double

    public init(perExample: [[String: Double]], metrics: [String: Double], main: Double) {
        self.perExample = perExample
        self.metrics = metrics
        self.main = main
    }
}
