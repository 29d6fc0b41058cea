/// One evaluation dataset as the trajectory runner sees it.
public struct TrajectoryDataset: Sendable {
    public var spec: DatasetSpec
    /// Examples evaluated per model (after `--max-samples`).
    public var exampleCount: Int
    public init(spec: DatasetSpec, exampleCount: Int) { self.spec = spec; self.exampleCount = exampleCount }
}

/// A batch of finished examples as the runner writes it.
public struct TrajectoryBatch: Sendable {
    public var predictions: [StoredPrediction]
    /// Tokens generated for these examples (for tokens/s).
    public var generatedTokens: Int
    public init(predictions: [StoredPrediction], generatedTokens: Int) {
        self.predictions = predictions; self.generatedTokens = generatedTokens
    }
}

/// What the runner needs from the evaluation layer: load one model at a time, generate the missing examples of a
/// dataset batch by batch, and score. `EvaluationBackend` is the real one (LlamaModel + Evaluator); tests may
/// substitute a synthetic one.
public protocol TrajectoryBackend: AnyObject {
    /// The datasets of the suite, in evaluation order.
    var datasets: [TrajectoryDataset] { get }
    /// Loads a checkpoint's model, replacing (and freeing) the previous one.
    func load(_ checkpoint: Checkpoint) throws
    /// Frees the current model.
    func unload()
    /// Evaluates the examples of `datasets[dataset]` not in `skip`, handing over each finished batch.
    func evaluate(dataset: Int, skip: Set<Int>, onBatch: (TrajectoryBatch) throws -> Void) throws
    /// The dataset's aggregate score over all of its stored predictions (in example order).
    func score(dataset: Int, predictions: [StoredPrediction]) throws -> StoredScore
    /// Category and "AVG" scores from a model's dataset scores.
    func aggregate(_ scores: [StoredScore]) -> [String: Double]
}
