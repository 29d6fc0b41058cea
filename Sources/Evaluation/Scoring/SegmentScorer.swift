/// A model-based MT metric computed outside the string metrics (COMET): one score per (source, translation,
/// reference) triple, whose mean is the dataset score. The per-example values are stored in the records' `metrics`
/// under `metric`, so ensembles, rescoring and stability reuse them without running the model again.
public protocol SegmentScorer: AnyObject {
    /// The metric name the segment scores are stored under (e.g. "comet_wmt22").
    var metric: String { get }
    /// One score per triple, in order.
    func segmentScores(sources: [String], translations: [String], references: [String]) throws -> [Double]
}

extension Scoring {
    /// The dataset value of each model-based metric in `metrics` that every per-example row carries (finite):
    /// the mean of the segment scores, as COMET's system score. Metrics some row lacks are left out.
    public static func modelBasedMeans(metrics: [String], perExample: [[String: Double]]) -> [String: Double] {
        guard !perExample.isEmpty else { return [:] }
        var out: [String: Double] = [:]
        for name in metrics where MetricName(rawValue: name)?.isModelBased == true {
            let values = perExample.compactMap { $0[name] }.filter(\.isFinite)
            guard values.count == perExample.count else { continue }
            out[name] = values.reduce(0, +) / Double(values.count)
        }
        return out
    }
}
