/// Continuous signals beside accuracy (issue #13 §2): the mean gold log-prob's trajectory, and signal-to-noise in the
/// manner of Heineman et al., "Signal and Noise" (AI2, 2025), adapted to one training run.
///
/// The paper's signal is the relative dispersion of one benchmark's scores over a population of models,
/// max_{j,k} |m_j − m_k| / m̄, and its noise the relative standard deviation of one model's score over its final
/// checkpoints; SNR = signal / noise. A trajectory has no population of independently trained models, so here the
/// population is the trajectory's own checkpoints over the whole run (how far training moves the score, early worse
/// models to late better ones) and the noise is the relative std over the analysed (final) positions. The values
/// measure one run and are not comparable with the paper's cross-model figures. Means are taken in absolute value,
/// since log-probs are negative.
public enum SignalToNoise {
    /// max − min over |mean|; nil for fewer than two values or a zero mean.
    public static func relativeDispersion(_ values: [Double]) -> Double? {
        guard values.count >= 2, let mu = SeriesMetrics.mean(values), mu != 0,
              let lo = values.min(), let hi = values.max() else { return nil }
        return (hi - lo) / abs(mu)
    }

    /// std (with `ddof`) over |mean|; nil for too few values or a zero mean.
    public static func relativeStd(_ values: [Double], ddof: Int) -> Double? {
        SeriesMetrics.relativeNoise(values, ddof: ddof).map(abs)
    }

    /// Signal over `whole`, noise over `analysed`; nil when either is undefined or the noise is zero.
    public static func ratio(whole: [Double], analysed: [Double], ddof: Int) -> Double? {
        guard let signal = relativeDispersion(whole), let noise = relativeStd(analysed, ddof: ddof), noise > 0 else {
            return nil
        }
        return signal / noise
    }

    /// Fills the SNR fields of each row of `summary` (made on some positions of the trajectory `whole`): datasets
    /// from their series, categories and AVG from their level series (`StabilityAnalysis.levelSeries`).
    static func annotate(_ summary: inout StabilitySummary, whole: TrajectoryTable, analysed: TrajectoryTable,
                         options: StabilityOptions) {
        let ddof = options.noiseDdof
        let wholeScores = StabilityAnalysis.levelSeries(whole, options: options) { $0.scores }
        let wholeGold = StabilityAnalysis.levelSeries(whole, options: options) { $0.goldLogprobSeries }
        func level(_ metrics: inout StabilityMetrics, _ name: String, _ scores: [Double]?) {
            if let all = wholeScores[name], let part = scores {
                metrics.signalToNoise = ratio(whole: all, analysed: part, ddof: ddof)
            }
            if let all = wholeGold[name], let part = summary.goldSeries[name] {
                metrics.goldLogprobSignalToNoise = ratio(whole: all, analysed: part, ddof: ddof)
            }
        }
        for k in summary.categories.indices {
            let name = summary.categories[k].name
            level(&summary.categories[k].metrics, name, summary.categorySeries[name])
        }
        if var avg = summary.average {
            level(&avg.metrics, "AVG", summary.averageSeries)
            summary.average = avg
        }
        for (k, row) in summary.datasets.enumerated() {
            guard let all = whole.datasets.first(where: { $0.dataset == row.name }),
                  let part = analysed.datasets.first(where: { $0.dataset == row.name }) else { continue }
            summary.datasets[k].metrics.signalToNoise = ratio(whole: all.scores, analysed: part.scores,
                                                              ddof: options.noiseDdof)
            if let allGold = all.goldLogprobSeries, let partGold = part.goldLogprobSeries {
                summary.datasets[k].metrics.goldLogprobSignalToNoise = ratio(whole: allGold, analysed: partGold,
                                                                             ddof: options.noiseDdof)
            }
        }
    }
}

extension DatasetSeries {
    /// Per position, the mean over examples of the gold log-prob; nil unless every example has it at every position.
    public var goldLogprobSeries: [Double]? {
        guard let first = examples.first, let count = first.logprobs?.count, count > 0 else { return nil }
        var sums = [Double](repeating: 0, count: count)
        for e in examples {
            guard let l = e.logprobs, l.count == count else { return nil }
            for t in 0..<count {
                guard let gold = l[t]?.gold else { return nil }
                sums[t] += gold
            }
        }
        return sums.map { $0 / Double(examples.count) }
    }
}
