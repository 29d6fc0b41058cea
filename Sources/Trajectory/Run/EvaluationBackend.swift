import Evaluation
import Foundation

/// The real `TrajectoryBackend`: one `Evaluator` per loaded checkpoint over the suite's datasets. The generation
/// backend (model + tokenizer) is made by the caller's factory, so only one model is in memory at a time.
public final class EvaluationBackend: TrajectoryBackend {
    public let suite: [EvalDataset]
    public let options: EvalOptions
    public let datasets: [TrajectoryDataset]
    private let makeGenerator: (Checkpoint) throws -> any GenerationBackend
    private var evaluator: Evaluator?

    public init(suite: [EvalDataset], options: EvalOptions,
                makeGenerator: @escaping (Checkpoint) throws -> any GenerationBackend) {
        self.suite = suite
        self.options = options
        self.makeGenerator = makeGenerator
        datasets = suite.map { TrajectoryDataset(spec: EvaluationBridge.datasetSpec($0), exampleCount: $0.samples.count) }
    }

    public func load(_ checkpoint: Checkpoint) throws {
        evaluator = nil   // free the previous model first
        evaluator = Evaluator(backend: try makeGenerator(checkpoint), options: options)
    }

    public func unload() { evaluator = nil }

    public func evaluate(dataset: Int, skip: Set<Int>, onBatch: (TrajectoryBatch) throws -> Void) throws {
        guard let evaluator else {
            throw TrajectoryError.checkpoint(path: suite[dataset].path, reason: "no model loaded")
        }
        var tokensBefore = evaluator.counters.generatedTokens
        try evaluator.run(suite[dataset], skip: skip) { records in
            let tokens = evaluator.counters.generatedTokens
            try onBatch(TrajectoryBatch(predictions: records.map(EvaluationBridge.stored), generatedTokens: tokens - tokensBefore))
            tokensBefore = tokens
        }
    }

    public func score(dataset: Int, predictions: [StoredPrediction]) throws -> StoredScore {
        let d = suite[dataset]
        let score = try Scoring.score(dataset: d.name, metrics: d.metrics, predictions: predictions.map(\.prediction),
                                      golds: predictions.map(\.gold), bleu: options.bleu)
        return EvaluationBridge.stored(score)
    }

    public func aggregate(_ scores: [StoredScore]) -> [String: Double] {
        EvaluationBridge.aggregate(scores)
    }
}
