import Foundation
import JSON

/// `kasane score`: which file, which metrics, which BLEU.
public struct ScoreRequest: Sendable {
    public var predictions: String
    public var metrics: [String]
    public var bleu: BleuMode
    public init(predictions: String, metrics: [String], bleu: BleuMode = .sacrebleu) {
        self.predictions = predictions; self.metrics = metrics; self.bleu = bleu
    }
}

/// The scores of one group of a predictions file.
public struct ScoredGroup: Sendable {
    public var model: String?
    public var score: DatasetScore
}

/// What `kasane score` prints: the groups' scores, as a table or one JSON object.
public struct ScoreReport: Sendable {
    public var path: String
    public var format: PredictionFileFormat
    public var metrics: [String]
    public var bleu: BleuMode
    public var groups: [ScoredGroup]

    /// One file of one dataset: `{"bleu_ja": 16.957, ...}`; several datasets: `{dataset: {...}}`; several models
    /// (store exports): `{model: {dataset: {...}}}`. Metrics not computed are null.
    public var json: String {
        func values(_ s: DatasetScore) -> JSONValue {
            .dictionary(Dictionary(uniqueKeysWithValues: metrics.map { ($0, JSONValue.finite(s.metrics[$0])) }))
        }
        let object: JSONValue
        if groups.count == 1, let only = groups.first {
            object = values(only.score)
        } else if groups.allSatisfy({ $0.model == nil }) {
            object = .dictionary(Dictionary(groups.map { ($0.score.dataset, values($0.score)) },
                                            uniquingKeysWith: { a, _ in a }))
        } else {
            var nested: [String: [String: JSONValue]] = [:]
            for g in groups { nested[g.model ?? "", default: [:]][g.score.dataset] = values(g.score) }
            object = .dictionary(nested.mapValues { .dictionary($0) })
        }
        return JSONWriter.string(object, sortKeys: true)
    }

    /// One line per metric of each group; BLEU/ROUGE on 0–100, the others as llm-jp-eval keeps them.
    public var table: String {
        let withModel = groups.contains { $0.model != nil }
        let dataWidth = max(8, groups.map { $0.score.dataset.count }.max() ?? 0) + 2
        let modelWidth = withModel ? max(6, groups.map { $0.model?.count ?? 0 }.max() ?? 0) + 2 : 0
        let metricWidth = max(7, metrics.map(\.count).max() ?? 0) + 2
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
        var lines = [(withModel ? pad("model", modelWidth) : "") + pad("dataset", dataWidth) + pad("metric", metricWidth)
                     + pad("value", 12) + "samples"]
        for g in groups {
            for (k, name) in metrics.enumerated() {
                let lead = k == 0 ? (withModel ? pad(g.model ?? "", modelWidth) : "") + pad(g.score.dataset, dataWidth)
                    : String(repeating: " ", count: modelWidth + dataWidth)
                let value = g.score.metrics[name].map { String(format: "%.4f", $0) }
                    ?? (g.score.notComputed[name] ?? "not computed")
                lines.append(lead + pad(name, metricWidth) + (k == 0 ? pad(value, 12) + "\(g.score.sampleCount)" : value))
            }
        }
        lines.append("\(path): \(format.rawValue), --bleu \(bleu.rawValue)")
        return lines.joined(separator: "\n")
    }
}

public enum PredictionScoring {
    /// Reads the file, then scores each (model, dataset) group with llm-jp-eval's metrics (`Scoring.score`).
    public static func score(_ request: ScoreRequest) throws -> ScoreReport {
        guard !request.metrics.isEmpty else {
            throw EvaluationError.invalidValue(path: "--metrics", field: "metrics", detail: "is empty (name at least one metric)")
        }
        for name in request.metrics where MetricName(rawValue: name) == nil {
            throw EvaluationError.invalidValue(
                path: "--metrics", field: name,
                detail: "is not a metric (known: \(MetricName.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let file = try PredictionFile.read(path: request.predictions)
        let groups = try file.groups.map { g in
            let name = g.model.map { "\(request.predictions) (\($0)) \(g.dataset)" } ?? "\(request.predictions) \(g.dataset)"
            do {
                let score = try Scoring.score(dataset: g.dataset, metrics: request.metrics,
                                              predictions: g.pairs.map(\.prediction), golds: g.pairs.map(\.gold),
                                              bleu: request.bleu)
                return ScoredGroup(model: g.model, score: score)
            } catch let EvaluationError.scoring(_, field, detail) {
                throw EvaluationError.scoring(dataset: name, field: field, detail: detail)   // name the file too
            }
        }
        return ScoreReport(path: file.path, format: file.format, metrics: request.metrics, bleu: request.bleu,
                           groups: groups)
    }
}
