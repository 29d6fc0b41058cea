import Evaluation
import Foundation

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
                var results: [String: Any] = [:], nShot: [String: Any] = [:], nSamples: [String: Any] = [:]
                var higher: [String: Any] = [:], versions: [String: Any] = [:]
                var configs: [String: Any] = [:], taskHashes: [String: Any] = [:]
                let shots = Int(run.settings.values["shots"] ?? "") ?? 0
                for dataset in datasets {
                    let predictions = try store.predictions(model: model.id, dataset: dataset.id)
                    if predictions.isEmpty && scores[dataset.name] == nil { continue }
                    var entry: [String: Any] = ["alias": dataset.name]
                    for (metric, value) in scores[dataset.name]?.metrics ?? [:] {
                        entry["\(metric),none"] = value
                        entry["\(metric)_stderr,none"] = "N/A"
                    }
                    nShot[dataset.name] = shots
                    nSamples[dataset.name] = ["original": dataset.plannedExamples ?? predictions.count, "effective": predictions.count]
                    higher[dataset.name] = Dictionary(uniqueKeysWithValues: dataset.metrics.map { ($0, true) })
                    versions[dataset.name] = "llm-jp-eval-1.4.1"
                    taskHashes[dataset.name] = dataset.contentHash
                    configs[dataset.name] = ["task": dataset.name, "num_fewshot": shots, "output_type": "generate_until",
                                             "metric_list": dataset.metrics.map { ["metric": $0, "higher_is_better": true] },
                                             "generation_kwargs": ["do_sample": false, "until": ["\n\n"]]] as [String: Any]
                    entry["sample_len"] = predictions.count
                    results[dataset.name] = entry
                    let path = (folder as NSString).appendingPathComponent("samples_\(Self.sanitize(dataset.name))_\(stamp).jsonl")
                    try writeSamples(predictions, dataset: dataset, to: path)
                    written.append(path)
                }
                for (name, value) in try store.aggregates(model: model.id) {
                    results["llm-jp-eval_\(name)"] = ["alias": name, "score,none": value]
                }
                let document: [String: Any] = [
                    "results": results, "n-shot": nShot, "n-samples": nSamples, "higher_is_better": higher,
                    "versions": versions, "group_subtasks": [String: Any](), "configs": configs, "task_hashes": taskHashes,
                    "model_source": "kasane",
                    "config": ["model": "kasane", "model_args": "pretrained=\(model.spec.path)", "step": model.step,
                               "kind": model.kind.rawValue, "window": model.spec.window, "align": model.spec.align,
                               "weights": model.spec.weights, "members": model.spec.members,
                               "fingerprint": model.spec.fingerprint, "settings": run.settings.values] as [String: Any],
                    "model_name": name, "model_name_sanitized": Self.sanitize(name),
                    "date": Date().timeIntervalSince1970, "kasane_run": run.name,
                ]
                let path = (folder as NSString).appendingPathComponent("results_\(stamp).json")
                let writer = try TextFileWriter(path: path)
                let data = try JSONSerialization.data(withJSONObject: JSONLines.sanitize(document),
                                                      options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
                try writer.write(String(decoding: data, as: UTF8.self) + "\n")
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
            var record: [String: Any] = [
                "doc_id": p.index,
                "doc": ["input": input, "output": p.gold],
                "target": p.gold,
                "arguments": ["gen_args_0": ["arg_0": "sha256:\(p.promptHash)", "arg_1": ["prompt_tokens": p.promptTokens]]],
                "resps": [[p.generated]],
                "filtered_resps": [p.prediction],
                "filter": "none",
                "metrics": p.metrics.keys.sorted(),
                "doc_hash": SHA256.hex(input),
                "prompt_hash": p.promptHash,
                "target_hash": SHA256.hex(p.gold),
            ]
            for (metric, value) in p.metrics { record[metric] = value }
            try writer.write(try JSONLines.line(record))
        }
        try writer.finish()
    }

    static func modelName(run: StoredRun, model: StoredModel) -> String {
        let base = (run.name as NSString).lastPathComponent
        switch model.kind {
        case .raw: return "\(base)/step\(model.step)"
        case .average, .ensemble:
            return "\(base)/\(model.kind.rawValue)-n\(model.spec.window)\(model.spec.align.isEmpty ? "" : "-\(model.spec.align)")-step\(model.step)"
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
