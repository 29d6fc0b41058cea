/// Computes MTV, IS, flips, noise and mean score of one trajectory at the dataset, category and AVG levels.
public enum StabilityAnalysis {
    /// The table must already be restricted to the analysed positions.
    public static func summarize(_ table: TrajectoryTable, options: StabilityOptions = StabilityOptions()) throws
        -> StabilitySummary
    {
        try table.validate()
        var datasetRows: [StabilityRow] = []
        var exampleRows: [ExampleStability] = []
        var pairFlips: [String: [PairFlips]] = [:]
        for series in table.datasets {
            let (row, examples, pairs) = summarize(series, steps: table.steps, options: options)
            datasetRows.append(row)
            exampleRows += examples
            pairFlips[series.dataset] = pairs
        }

        // Categories in first-seen order.
        var categoryOrder: [String] = []
        for d in table.datasets where !categoryOrder.contains(d.category) { categoryOrder.append(d.category) }
        var categoryRows: [StabilityRow] = []
        var categorySeries: [String: [Double]] = [:]
        for category in categoryOrder {
            let members = table.datasets.indices.filter { table.datasets[$0].category == category }
            let series = (0..<table.steps.count).map { t in
                SeriesMetrics.mean(members.map { table.datasets[$0].scores[t] }) ?? 0
            }
            categorySeries[category] = series
            let rows = members.map { datasetRows[$0].metrics }
            categoryRows.append(StabilityRow(level: .category, name: category, category: category,
                                             metrics: combine(rows, series: series, options: options)))
        }

        var average: StabilityRow?
        var averageSeries: [Double]?
        let averaged = categoryOrder.filter { options.averageCategories.contains($0) }
        if !averaged.isEmpty {
            let series = (0..<table.steps.count).map { t in
                SeriesMetrics.mean(averaged.compactMap { categorySeries[$0]?[t] }) ?? 0
            }
            averageSeries = series
            let rows = categoryRows.filter { averaged.contains($0.name) }.map(\.metrics)
            average = StabilityRow(level: .average, name: "AVG", category: "AVG",
                                   metrics: combine(rows, series: series, options: options))
        }
        var summary = StabilitySummary(steps: table.steps, datasets: datasetRows, categories: categoryRows,
                                       average: average, examples: exampleRows, pairFlips: pairFlips,
                                       categorySeries: categorySeries, averageSeries: averageSeries)
        summary.goldSeries = levelSeries(table, options: options) { $0.goldLogprobSeries }
        for k in summary.categories.indices {
            summary.categories[k].metrics.setGold(summary.goldSeries[summary.categories[k].name])
        }
        summary.average?.metrics.setGold(summary.goldSeries["AVG"])
        return summary
    }

    /// Per category (mean of its datasets' series) and "AVG" (mean of the averaged categories' series), of a
    /// per-dataset series; a level is left out when one of its datasets has no series.
    static func levelSeries(_ table: TrajectoryTable, options: StabilityOptions,
                            _ series: (DatasetSeries) -> [Double]?) -> [String: [Double]] {
        var order: [String] = []
        for d in table.datasets where !order.contains(d.category) { order.append(d.category) }
        func mean(_ rows: [[Double]]) -> [Double] {
            (0..<table.steps.count).map { t in rows.map { $0[t] }.reduce(0, +) / Double(rows.count) }
        }
        var out: [String: [Double]] = [:]
        for category in order {
            let members = table.datasets.filter { $0.category == category }.map(series)
            let present = members.compactMap { $0 }.filter { $0.count == table.steps.count }
            if !present.isEmpty && present.count == members.count { out[category] = mean(present) }
        }
        let averaged = order.filter { options.averageCategories.contains($0) }
        let present = averaged.compactMap { out[$0] }
        if !present.isEmpty && present.count == averaged.count { out["AVG"] = mean(present) }
        return out
    }

    static func summarize(_ series: DatasetSeries, steps: [Int], options: StabilityOptions)
        -> (StabilityRow, [ExampleStability], [PairFlips])
    {
        let pairs = max(0, steps.count - 1)
        var pairUp = [Int](repeating: 0, count: pairs), pairDown = [Int](repeating: 0, count: pairs)
        var examples: [ExampleStability] = []
        var up = 0, down = 0
        for example in series.examples {
            let instability = SeriesMetrics.instabilityScore(example.predictions) { options.similarity(series, $0, $1) }
            var mtv: Double?, flipRate: Double?, correct: [Bool]?
            if let scores = example.scores {
                mtv = SeriesMetrics.meanTotalVariation(scores)
                let c = scores.map { $0 >= options.correctnessThreshold }
                let flips = SeriesMetrics.flips(c)
                flipRate = flips.rate
                correct = c
                up += flips.up
                down += flips.down
                for t in 0..<pairs where c[t] != c[t + 1] {
                    if c[t + 1] { pairUp[t] += 1 } else { pairDown[t] += 1 }
                }
            }
            examples.append(ExampleStability(dataset: series.dataset, index: example.index, exampleMTV: mtv,
                                             instability: instability, flipRate: flipRate, correct: correct))
        }
        let scored = series.hasExampleScores
        let metrics = StabilityMetrics(
            meanScore: SeriesMetrics.mean(series.scores),
            aggregateMTV: SeriesMetrics.meanTotalVariation(series.scores),
            exampleMTV: scored ? SeriesMetrics.meanOfDefined(examples.map(\.exampleMTV)) : nil,
            instability: SeriesMetrics.meanOfDefined(examples.map(\.instability)),
            flipRate: scored ? SeriesMetrics.meanOfDefined(examples.map(\.flipRate)) : nil,
            flippedOnce: scored && pairs > 0
                ? SeriesMetrics.mean(examples.map { ($0.flipRate ?? 0) > 0 ? 1 : 0 }) : nil,
            upFlips: scored ? up : nil, downFlips: scored ? down : nil,
            noise: SeriesMetrics.relativeNoise(series.scores, ddof: options.noiseDdof))
        var withGold = metrics
        withGold.setGold(series.goldLogprobSeries)
        let flips = scored ? (0..<pairs).map {
            PairFlips(fromStep: steps[$0], toStep: steps[$0 + 1], up: pairUp[$0], down: pairDown[$0])
        } : []
        return (StabilityRow(level: .dataset, name: series.dataset, category: series.category, metrics: withGold),
                examples, flips)
    }

    /// A higher level: aggregate MTV, noise and mean from its own score series; the per-example measures as the mean
    /// of the members' values; flip counts summed.
    static func combine(_ members: [StabilityMetrics], series: [Double], options: StabilityOptions)
        -> StabilityMetrics
    {
        let ups = members.compactMap(\.upFlips), downs = members.compactMap(\.downFlips)
        return StabilityMetrics(
            meanScore: SeriesMetrics.mean(series),
            aggregateMTV: SeriesMetrics.meanTotalVariation(series),
            exampleMTV: SeriesMetrics.meanOfDefined(members.map(\.exampleMTV)),
            instability: SeriesMetrics.meanOfDefined(members.map(\.instability)),
            flipRate: SeriesMetrics.meanOfDefined(members.map(\.flipRate)),
            flippedOnce: SeriesMetrics.meanOfDefined(members.map(\.flippedOnce)),
            upFlips: ups.isEmpty ? nil : ups.reduce(0, +), downFlips: downs.isEmpty ? nil : downs.reduce(0, +),
            noise: SeriesMetrics.relativeNoise(series, ddof: options.noiseDdof))
    }
}
