import Evaluation
import Foundation

/// Stores ensemble entries: one `models` row of kind ensemble per position, with its voted predictions, dataset
/// scores and category/AVG aggregates. Rerunning replaces the predictions of the same ensemble. The vote is recorded
/// as the model's `weights` label (`EnsembleVote.weightsLabel`), so majority and confidence ensembles coexist.
public enum EnsembleRecorder {
    /// Category and AVG values are aggregated from the voted dataset scores as raw checkpoints' are.
    @discardableResult
    public static func record(_ result: EnsembleResult, raw: LoadedTrajectory, store: ResultStore,
                              run: Int) throws -> [StoredModel] {
        var datasetIDs: [String: Int] = [:]
        var planned = try store.datasets(run: run)
        if planned.isEmpty { planned = try store.allDatasets() }
        for d in planned { datasetIDs[d.name] = d.id }
        // Member predictions by (position, dataset): generated text and prompt data of the winning member.
        var memberRows: [String: [Int: PredictionRecord]] = [:]
        func memberPrediction(position: Int, dataset: Int, example: Int) throws -> PredictionRecord? {
            let key = "\(position)|\(dataset)"
            if memberRows[key] == nil {
                let rows = try store.predictions(model: raw.models[position].id, dataset: dataset)
                memberRows[key] = Dictionary(rows.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
            }
            return memberRows[key]?[example]
        }

        var stored: [StoredModel] = []
        let byStep = Dictionary(grouping: result.entries, by: \.step)
        for step in byStep.keys.sorted() {
            guard let entries = byStep[step], let first = entries.first else { continue }
            var hasher = SHA256()
            let weightsLabel = result.vote.weightsLabel
            hasher.update("ensemble|\(result.window.size)|\(result.window.alignment.rawValue)|\(weightsLabel)")
            for s in first.memberSteps {
                hasher.update("|" + (raw.models.first { $0.step == s }?.spec.fingerprint ?? String(s)))
            }
            let spec = ModelSpec(kind: .ensemble, step: step, window: result.window.size,
                                 align: result.window.alignment.rawValue, weights: weightsLabel,
                                 members: first.memberSteps, fingerprint: hasher.finalizeHex())
            let model = try store.registerModel(spec, run: run)
            var scores: [DatasetScore] = []
            for entry in entries {
                guard let datasetID = datasetIDs[entry.dataset],
                      let series = raw.table.datasets.first(where: { $0.dataset == entry.dataset }) else {
                    throw TrajectoryError.notFound(path: store.path, what: "dataset '\(entry.dataset)'")
                }
                var rows: [PredictionRecord] = []
                for (i, example) in series.examples.enumerated() {
                    let member = try memberPrediction(position: entry.winners[i], dataset: datasetID,
                                                      example: example.index)
                    rows.append(PredictionRecord(
                        index: example.index, promptHash: member?.promptHash ?? "",
                        promptTokens: member?.promptTokens ?? 0, generated: member?.generated ?? entry.predictions[i],
                        prediction: entry.predictions[i], gold: example.gold, metrics: entry.perExample[i]))
                }
                try store.insertPredictions(rows, model: model.id, dataset: datasetID, replace: true)
                let score = DatasetScore(dataset: entry.dataset, category: entry.category, metrics: entry.metrics,
                                         mainMetric: entry.mainMetric, main: entry.main, sampleCount: rows.count)
                try store.setScore(score, model: model.id, dataset: datasetID)
                scores.append(score)
            }
            try store.setAggregates(Scoring.aggregate(scores).values, model: model.id)
            stored.append(model)
        }
        return stored
    }
}
