import Evaluation

/// Adds the model-based segment scores (COMET) that a dataset's stored records lack. Records are scored once: a
/// resumed or rerun evaluation only scores the ones evaluated without the scorer.
struct SegmentScoreFilling {
    let scorer: any SegmentScorer

    /// The records with every segment score present, and the ones that had to be scored (to be stored again);
    /// nil when the dataset does not list the scorer's metric.
    func fill(_ records: [PredictionRecord], of dataset: EvalDataset) throws
        -> (all: [PredictionRecord], scored: [PredictionRecord])? {
        guard dataset.metrics.contains(scorer.metric) else { return nil }
        let missing = records.indices.filter { records[$0].metrics[scorer.metric]?.isFinite != true }
        guard !missing.isEmpty else { return (records, []) }
        var sources: [String] = []
        for i in missing {
            let index = records[i].index
            guard dataset.samples.indices.contains(index) else {
                throw TrajectoryError.inconsistentTable(dataset: dataset.name,
                                                        reason: "stored example \(index) is not in the dataset file")
            }
            sources.append(dataset.samples[index].input)
        }
        // llm-jp-eval's COMET triples: the sample's input, the post-processed prediction, the normalized gold.
        let values = try scorer.segmentScores(sources: sources, translations: missing.map { records[$0].prediction },
                                              references: missing.map { records[$0].gold })
        guard values.count == missing.count else {
            throw TrajectoryError.inconsistentTable(dataset: dataset.name, reason: "\(scorer.metric) returned"
                                                    + " \(values.count) scores for \(missing.count) translations")
        }
        var all = records
        for (i, value) in zip(missing, values) { all[i].metrics[scorer.metric] = value }
        return (all, missing.map { all[$0] })
    }
}
