import Evaluation
import Foundation
import JSON

/// lm-evaluation-harness (v0.4) style output, one folder per model: `results_<date>.json` with "results",
/// "n-shot", "n-samples", "higher_is_better", "versions", "config", and `samples_<task>_<date>.jsonl` with one
/// record per example (doc_id, doc, target, arguments, resps, filtered_resps, metric values, hashes).
struct LMEvalExporter {
    let store: ResultStore
    let runs: [StoredRun]

    func export(to directory: String) throws -> [String] {
        var written: [String] = []
        let stamp = Self.stamp()
        for run in runs {
            let datasets = try store.datasets(run: run.id)
            for model in try store.models(run: run.id) {
                let name = Self.modelName(run: run, model: model)
                let folder = (directory as NSString).appendingPathComponent(Self.sanitize(name))
                do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                    throw TrajectoryError.output(path: folder, reason: "cannot create the folder")
                }
                let scores = Dictionary(try store.scores(model: model.id).map { ($0.dataset, $0) }, uniquingKeysWith: { a, _ in a })
                var results: [String: JSONValue] = [:], nShot: [String: JSONValue] = [:]
                var nSamples: [String: JSONValue] = [:], higher: [String: JSONValue] = [:]
                var versions: [String: JSONValue] = [:], configs: [String: JSONValue] = [:]
                var taskHashes: [String: JSONValue] = [:]
                let shots = Int(run.settings.values["shots"] ?? "") ?? 0
                for dataset in datasets {
                    let predictions = try store.predictions(model: model.id, dataset: dataset.id)
                    if predictions.isEmpty && scores[dataset.name] == nil { continue }
                    var entry: [String: JSONValue] = ["alias": .string(dataset.name)]
                    for (metric, value) in scores[dataset.name]?.metrics ?? [:] {
                        entry["\(metric),none"] = .finite(value)
                        entry["\(metric)_stderr,none"] = "N/A"
                    }
                    nShot[dataset.name] = .integer(shots)
                    nSamples[dataset.name] = ["original": .integer(dataset.plannedExamples ?? predictions.count),
                                              "effective": .integer(predictions.count)]
                    higher[dataset.name] = .dictionary(Dictionary(uniqueKeysWithValues: dataset.metrics.map { ($0, true) }))
                    versions[dataset.name] = "llm-jp-eval-1.4.1"
                    taskHashes[dataset.name] = .string(dataset.contentHash)
                    configs[dataset.name] = [
                        "task": .string(dataset.name), "num_fewshot": .integer(shots), "output_type": "generate_until",
                        "metric_list": .array(dataset.metrics.map { ["metric": .string($0), "higher_is_better": true] }),
                        "generation_kwargs": ["do_sample": false, "until": ["\n\n"]]]
                    entry["sample_len"] = .integer(predictions.count)
                    results[dataset.name] = .dictionary(entry)
                    let path = (folder as NSString).appendingPathComponent("samples_\(Self.sanitize(dataset.name))_\(stamp).jsonl")
                    try writeSamples(predictions, dataset: dataset, to: path)
                    written.append(path)
                }
                for (name, value) in try store.aggregates(model: model.id) {
                    results["llm-jp-eval_\(name)"] = ["alias": .string(name), "score,none": .finite(value)]
                }
                let document: JSONValue = [
                    "results": .dictionary(results), "n-shot": .dictionary(nShot), "n-samples": .dictionary(nSamples),
                    "higher_is_better": .dictionary(higher), "versions": .dictionary(versions), "group_subtasks": [:],
                    "configs": .dictionary(configs), "task_hashes": .dictionary(taskHashes), "model_source": "kasane",
                    "config": ["model": "kasane", "model_args": .string("pretrained=\(model.spec.path)"),
                               "step": .integer(model.step), "kind": .string(model.kind.rawValue),
                               "window": .integer(model.spec.window), "align": .string(model.spec.align),
                               "weights": .string(model.spec.weights), "members": .integers(model.spec.members),
                               "fingerprint": .string(model.spec.fingerprint),
                               "settings": .dictionary(run.settings.values.mapValues(JSONValue.string))],
                    "model_name": .string(name), "model_name_sanitized": .string(Self.sanitize(name)),
                    "date": .number(Date().timeIntervalSince1970), "kasane_run": .string(run.name),
                ]
                let path = (folder as NSString).appendingPathComponent("results_\(stamp).json")
                let writer = try TextFileWriter(path: path)
                try writer.write(JSONWriter.string(document, layout: .indented(2), sortKeys: true) + "\n")
                try writer.finish()
                written.append(path)
            }
        }
        return written
    }

    private func writeSamples(_ predictions: [PredictionRecord], dataset: StoredDataset, to path: String) throws {
        let inputs = try store.inputs(dataset: dataset.id)
        let writer = try TextFileWriter(path: path)
        for p in predictions {
            let input = inputs[p.index] ?? ""
            var record: [String: JSONValue] = [
                "doc_id": .integer(p.index),
                "doc": ["input": .string(input), "output": .string(p.gold)],
                "target": .string(p.gold),
                "arguments": ["gen_args_0": ["arg_0": .string("sha256:\(p.promptHash)"),
                                             "arg_1": ["prompt_tokens": .integer(p.promptTokens)]]],
                "resps": [[.string(p.generated)]],
                "filtered_resps": [.string(p.prediction)],
                "filter": "none",
                "metrics": .strings(p.metrics.keys.sorted()),
                "doc_hash": .string(SHA256.hex(input)),
                "prompt_hash": .string(p.promptHash),
                "target_hash": .string(SHA256.hex(p.gold)),
            ]
            for (metric, value) in p.metrics { record[metric] = .finite(value) }
            // generate_until samples have no log-prob field: they go beside the per-sample metric values.
            record.merge(StoreExporter.logprobFields(p.logprobs)) { _, new in new }
            try writer.write(JSONLines.line(record))
        }
        try writer.finish()
    }

    static func modelName(run: StoredRun, model: StoredModel) -> String {
        let base = (run.name as NSString).lastPathComponent
        switch model.kind {
        case .raw: return "\(base)/step\(model.step)"
        case .average, .ensemble:
            // A confidence ensemble is named apart from the majority one of the same window (both may be stored).
            let vote = model.kind == .ensemble && EnsembleVote(weightsLabel: model.spec.weights) == .confidence ? "-confidence" : ""
            return "\(base)/\(model.kind.rawValue)-n\(model.spec.window)\(model.spec.align.isEmpty ? "" : "-\(model.spec.align)")\(vote)-step\(model.step)"
        }
    }

    /// lm-eval's sanitisation: path separators become "__".
    static func sanitize(_ name: String) -> String {
        name.replacingOccurrences(of: "/", with: "__").replacingOccurrences(of: ":", with: "_")
    }

    static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH-mm-ss.SSSSSS"
        return formatter.string(from: Date())
    }
}
