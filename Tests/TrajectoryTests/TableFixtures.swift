@testable import Trajectory

/// Hand-built prediction tables for the stability and ensemble tests.
enum TableFixtures {
    static func exactMatch(_ dataset: String, category: String, golds: [String], predictions: [[String]])
        -> DatasetSeries
    {
        let examples = golds.indices.map { i in
            ExampleSeries(index: i, gold: golds[i], predictions: predictions[i],
                          scores: predictions[i].map { $0 == golds[i] ? 1.0 : 0.0 })
        }
        let m = predictions[0].count
        let scores = (0..<m).map { t in examples.map { $0.scores![t] }.reduce(0, +) / Double(examples.count) }
        return DatasetSeries(dataset: dataset, category: category, mainMetric: "exact_match",
                             metrics: ["exact_match"], scores: scores, examples: examples)
    }

    /// Four checkpoints (steps 100…400), NLI (jnli, jamp), QA (niilc, graded scores), STS (jsts, corpus-level).
    static func fourCheckpoints() -> TrajectoryTable {
        let jnli = exactMatch("jnli", category: "NLI", golds: ["entailment", "contradiction", "entailment"],
                              predictions: [["entailment", "entailment", "contradiction", "entailment"],
                                            ["neutral", "contradiction", "contradiction", "contradiction"],
                                            ["neutral", "contradiction", "neutral", "entailment"]])
        let jamp = exactMatch("jamp", category: "NLI", golds: ["a", "b"],
                              predictions: [["a", "a", "a", "a"], ["b", "a", "b", "a"]])
        let niilc = DatasetSeries(
            dataset: "niilc", category: "QA", mainMetric: "char_f1", scores: [0.5, 0.75, 0.75, 0.25],
            examples: [ExampleSeries(index: 0, gold: "xyz", predictions: ["x", "xy", "xy", "z"],
                                     scores: [0.5, 0.75, 0.75, 0.25])])
        let jsts = DatasetSeries(
            dataset: "jsts", category: "STS", mainMetric: "pearson", scores: [0.1, 0.2, 0.4, 0.4],
            examples: [ExampleSeries(index: 0, gold: "2", predictions: ["1", "2", "2", "2"], scores: nil)])
        return TrajectoryTable(steps: [100, 200, 300, 400], datasets: [jnli, jamp, niilc, jsts])
    }
}

func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}
