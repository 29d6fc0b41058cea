import Foundation
import JSON

/// Detects a predictions file's format and reads its pairs. Every error is one line naming the file (and line) and
/// the field.
struct PredictionFileReader {
    let path: String

    func read(text: String, data: Data) throws -> (PredictionFileFormat, [PredictionGroup]) {
        guard let first = text.unicodeScalars.first(where: { !PythonText.isSpace($0) }) else {
            throw EvaluationError.unrecognizedFile(path: path, expected: "a non-empty file: " + PredictionFile.expected)
        }
        if first == "[" {
            throw EvaluationError.unrecognizedFile(path: path, expected: PredictionFile.expected + "; found a JSON array")
        }
        if first != "{" { return (.storeExportCSV, try csv(text)) }
        // components(separatedBy:) splits "\r\n" too (String.split would keep it as one Character).
        let lines = text.components(separatedBy: "\n").enumerated()
            .filter { !$0.element.allSatisfy(\.isWhitespace) }.map { (number: $0.offset + 1, text: $0.element) }
        if let whole = (try? JSONParser.parse(Array(data), file: path))?.dictionaryValue {
            if let outputs = whole["outputs"] { return (.llmJpEvalOutput, try llmJpEval(outputs)) }
            if let samples = whole["samples"] { return (.llmJpEvalGenerated, try llmJpEvalGenerated(samples, whole)) }
            if lines.count > 1 { throw EvaluationError.unrecognizedFile(path: path, expected: PredictionFile.expected) }
        }
        let records = try lines.map { line -> (Int, [String: JSONValue]) in
            let at = "\(path) line \(line.number)"
            let object: JSONValue
            do { object = try JSONParser.parse(Array(line.text.utf8), file: at) } catch {
                throw EvaluationError.malformedJSON(path: at, detail: "not one JSON object per line")
            }
            guard let record = object.dictionaryValue else {
                throw EvaluationError.wrongType(path: at, field: "(line)", expected: "a JSON object")
            }
            return (line.number, record)
        }
        let format = try classify(records[0].1)
        var groups = GroupBuilder()
        for (number, record) in records {
            let at = "\(path) line \(number)"
            switch format {
            case .lmEvalSamples:
                guard let prediction = record["filtered_resps"]?.arrayValue?.first?.stringValue else {
                    throw EvaluationError.wrongType(path: at, field: "filtered_resps", expected: "a list holding one string")
                }
                let input = record["doc"]?["input"]?.stringValue
                groups.add(model: nil, dataset: lmEvalTask,
                           ScoredPair(prediction: prediction, gold: try string(record, "target", at), input: input))
            case .storeExportJSONL:
                func text(_ key: String, _ absent: String = "") -> String {
                    record[key].map { $0.stringValue ?? $0.description } ?? absent
                }
                let model = Self.modelName(run: try string(record, "run", at), kind: text("kind"), step: text("step"),
                                           window: text("window", "1"), align: text("align"))
                groups.add(model: model, dataset: try string(record, "dataset", at),
                           try pair(record, prediction: "prediction", gold: "gold", input: "input", at))
            case .kasanePredictions:
                groups.add(model: nil, dataset: try string(record, "dataset", at),
                           try pair(record, prediction: "prediction", gold: "gold", input: nil, at))
            case .plainLines:
                let dataset = record["dataset"] == nil ? "predictions" : try string(record, "dataset", at)
                groups.add(model: nil, dataset: dataset,
                           try pair(record, prediction: "prediction", gold: "gold", input: "input", at))
            case .storeExportCSV, .llmJpEvalOutput, .llmJpEvalGenerated:
                break   // not JSON lines
            }
        }
        return (format, groups.groups)
    }

    private func classify(_ record: [String: JSONValue]) throws -> PredictionFileFormat {
        let keys = Set(record.keys)
        if keys.isSuperset(of: ["filtered_resps", "target"]) { return .lmEvalSamples }
        if keys.isSuperset(of: ["run", "kind", "step", "example", "prediction", "gold"]) { return .storeExportJSONL }
        if keys.isSuperset(of: ["dataset", "index", "prompt", "prediction", "gold"]) { return .kasanePredictions }
        if keys.isSuperset(of: ["prediction", "gold"]) { return .plainLines }
        throw EvaluationError.unrecognizedFile(
            path: path, expected: PredictionFile.expected + "; line 1 has fields " + keys.sorted().joined(separator: ", "))
    }

    /// `samples_<task>_<date>.jsonl`: the task is between the prefix and the last underscore (the date has none).
    private var lmEvalTask: String {
        var name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if name.hasPrefix("samples_") { name.removeFirst("samples_".count) }
        if let cut = name.lastIndex(of: "_") { name = String(name[..<cut]) }
        return name
    }

    /// llm-jp-eval's `outputs`: dataset name → list of `{"input", "pred", "gold"}` (extra keys such as "prompt" ignored).
    private func llmJpEval(_ outputs: JSONValue) throws -> [PredictionGroup] {
        guard let datasets = outputs.dictionaryValue else {
            throw EvaluationError.wrongType(path: path, field: "outputs", expected: "an object of dataset name → records")
        }
        var groups = GroupBuilder()
        for name in datasets.keys.sorted() {
            guard let records = datasets[name]?.arrayValue else {
                throw EvaluationError.wrongType(path: path, field: "outputs.\(name)", expected: "a list of records")
            }
            for (i, item) in records.enumerated() {
                let field = "outputs.\(name)[\(i)]"
                guard let record = item.dictionaryValue else {
                    throw EvaluationError.wrongType(path: path, field: field, expected: "an object")
                }
                groups.add(model: nil, dataset: name,
                           try pair(record, prediction: "pred", gold: "gold", input: "input", path, prefix: field + "."))
            }
        }
        return groups.groups
    }

    /// llm-jp-eval's offline inference output: generated texts, post-processed here as v1.4.1's evaluator does.
    private func llmJpEvalGenerated(_ samples: JSONValue, _ whole: [String: JSONValue]) throws -> [PredictionGroup] {
        guard let records = samples.arrayValue else {
            throw EvaluationError.wrongType(path: path, field: "samples", expected: "a list of records")
        }
        var name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        if name.hasSuffix(".eval-prompt") { name.removeLast(".eval-prompt".count) }
        let dataset = whole["target_dataset"]?.stringValue ?? name
        var groups = GroupBuilder()
        for (i, item) in records.enumerated() {
            let field = "samples[\(i)]"
            guard let record = item.dictionaryValue else {
                throw EvaluationError.wrongType(path: path, field: field, expected: "an object")
            }
            let raw = try pair(record, prediction: "generated", gold: "gold", input: "input", path, prefix: field + ".")
            groups.add(model: nil, dataset: dataset,
                       ScoredPair(prediction: PostProcessing.prediction(fromGenerated: raw.prediction, strip: true),
                                  gold: PostProcessing.gold(raw.gold), input: raw.input))
        }
        return groups.groups
    }

    /// `kasane export --format csv` predictions (or any CSV with prediction and gold columns).
    private func csv(_ text: String) throws -> [PredictionGroup] {
        guard let rows = CSVRecords.parse(text), let header = rows.first else {
            throw EvaluationError.unrecognizedFile(path: path, expected: PredictionFile.expected + " (a quoted CSV field never closes)")
        }
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        guard let p = column["prediction"], let g = column["gold"] else {
            throw EvaluationError.unrecognizedFile(path: path, expected: PredictionFile.expected)
        }
        var groups = GroupBuilder()
        for (r, row) in rows.dropFirst().enumerated() {
            guard row.count == header.count else {
                throw EvaluationError.invalidValue(path: "\(path) record \(r + 2)", field: "(row)",
                                                   detail: "has \(row.count) fields, the header \(header.count)")
            }
            func cell(_ name: String) -> String? { column[name].map { row[$0] } }
            let model = cell("run").map {
                Self.modelName(run: $0, kind: cell("kind") ?? "", step: cell("step") ?? "", window: cell("window") ?? "1",
                               align: cell("align") ?? "")
            }
            groups.add(model: model, dataset: cell("dataset") ?? "predictions",
                       ScoredPair(prediction: row[p], gold: row[g], input: cell("input")))
        }
        return groups.groups
    }

    static func modelName(run: String, kind: String, step: String, window: String, align: String) -> String {
        let variant = window == "1" || window.isEmpty ? "" : " n=\(window)\(align.isEmpty ? "" : " \(align)")"
        return "\(run) \(kind)\(variant) step \(step)"
    }

    private func pair(_ record: [String: JSONValue], prediction: String, gold: String, input: String?, _ at: String,
                      prefix: String = "") throws -> ScoredPair {
        ScoredPair(prediction: try string(record, prediction, at, prefix: prefix),
                   gold: try string(record, gold, at, prefix: prefix),
                   input: input.flatMap { record[$0]?.stringValue })
    }

    private func string(_ record: [String: JSONValue], _ key: String, _ at: String, prefix: String = "") throws -> String {
        guard let value = record[key] else { throw EvaluationError.missingField(path: at, field: prefix + key) }
        guard let text = value.stringValue else {
            throw EvaluationError.wrongType(path: at, field: prefix + key, expected: "a string")
        }
        return text
    }
}

/// Groups pairs by (model, dataset), keeping the order of first appearance.
private struct GroupBuilder {
    private(set) var groups: [PredictionGroup] = []
    private var index: [String: Int] = [:]

    mutating func add(model: String?, dataset: String, _ pair: ScoredPair) {
        let key = (model ?? "") + "\u{1f}" + dataset
        if let i = index[key] { groups[i].pairs.append(pair); return }
        index[key] = groups.count
        groups.append(PredictionGroup(model: model, dataset: dataset, pairs: [pair]))
    }
}
