import Evaluation

/// Scores voted predictions exactly as raw predictions are scored: the evaluation layer's llm-jp-eval metrics.
public struct ScoringRescorer: DatasetRescorer {
    public var bleu: BleuMode

    public init(bleu: BleuMode = .sacrebleu) {
        self.bleu = bleu
    }

    public func rescore(_ dataset: DatasetSeries, predictions: [String]) throws -> RescoredDataset {
        let carried = Self.segmentScores(dataset, predictions: predictions)
        var (score, perExample) = try score(dataset: dataset.dataset, metrics: dataset.metrics, predictions: predictions,
                                            golds: dataset.examples.map(\.gold),
                                            supplied: Scoring.modelBasedMeans(metrics: dataset.metrics, perExample: carried))
        for i in perExample.indices where i < carried.count { perExample[i].merge(carried[i]) { _, kept in kept } }
        guard let main = score.main else {
            throw TrajectoryError.inconsistentTable(
                dataset: dataset.dataset, reason: "main metric '\(score.mainMetric)' is not computed, cannot rescore")
        }
        return RescoredDataset(perExample: perExample, metrics: score.metrics, main: main)
    }

    /// The stored segment scores of a model-based ⭐ metric (COMET) for voted predictions: a voted prediction is one
    /// of the members' predictions, and its segment score depends only on (source, prediction, gold), so the score
    /// a member got for the same text is reused instead of running the model again. Empty when the ⭐ metric is not
    /// model-based or some prediction has no stored score.
    static func segmentScores(_ dataset: DatasetSeries, predictions: [String]) -> [[String: Double]] {
        guard MetricName(rawValue: dataset.mainMetric)?.isModelBased == true, dataset.scale == 1,
              predictions.count == dataset.examples.count else { return [] }
        var out: [[String: Double]] = []
        for (example, prediction) in zip(dataset.examples, predictions) {
            guard let t = example.predictions.firstIndex(of: prediction),
                  let value = example.scores?[t], value.isFinite else { return [] }
            out.append([dataset.mainMetric: value])
        }
        return out
    }

    /// The dataset score and per-example values of a full set of predictions: what ensembles and `rescore` store.
    /// `supplied` carries model-based values (COMET) computed elsewhere, kept as they are.
    public func score(dataset: String, metrics: [String], predictions: [String], golds: [String],
                      supplied: [String: Double] = [:]) throws -> (score: DatasetScore, perExample: [[String: Double]]) {
        let score = try Scoring.score(dataset: dataset, metrics: metrics, predictions: predictions, golds: golds,
                                      bleu: bleu, supplied: supplied)
        let perExample = zip(predictions, golds).map {
            Scoring.perExample(metrics: metrics, prediction: $0, gold: $1, bleu: bleu)
        }
        return (score, perExample)
    }
}

/// The metric-based IS similarity (spec §7.1): the dataset's main metric with the earlier prediction as the
/// reference. exact_match, char_f1 and set_f1 have a per-pair form; COMET (costly), code_exec and correlations fall
/// back to exact equality.
public enum MetricSimilarity {
    public static let similarity = PredictionSimilarity.metric(name: "metric", function: { dataset, earlier, later in
        let metric = dataset.mainMetric
        guard ["exact_match", "char_f1", "set_f1"].contains(metric) else {
            return SeriesMetrics.exactSimilarity(earlier, later)
        }
        return Scoring.perExample(metrics: [metric], prediction: later, gold: earlier)[metric]
            ?? SeriesMetrics.exactSimilarity(earlier, later)
    })
}
