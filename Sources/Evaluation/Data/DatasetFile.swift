import Foundation
import JSON

/// The parsed contents of one llm-jp-eval v1.x evaluation file, validated field by field.
struct DatasetFile {
    var instruction: String
    var outputLength: Int
    var metrics: [String]
    var samples: [EvalSample]
    var sha256: String

    /// Reads and validates `path`. Every problem is reported with the file and the field.
    static func read(path: String, requireSamples: Bool = true) throws -> DatasetFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EvaluationError.fileNotFound(path: path, what: "dataset file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError.fileNotFound(path: path, what: "readable dataset file")
        }
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(Array(data), file: path) } catch {
            throw EvaluationError.malformedJSON(path: path, detail: error.message)
        }
        guard let top = parsed.dictionaryValue else {
            throw EvaluationError.wrongType(path: path, field: "(top level)", expected: "a JSON object")
        }
        func field(_ object: [String: JSONValue], _ key: String, _ name: String) throws -> JSONValue {
            guard let value = object[key] else { throw EvaluationError.missingField(path: path, field: name) }
            return value
        }
        func string(_ object: [String: JSONValue], _ key: String, _ name: String) throws -> String {
            guard let text = try field(object, key, name).stringValue else {
                throw EvaluationError.wrongType(path: path, field: name, expected: "a string")
            }
            return text
        }
        let instruction = try string(top, "instruction", "instruction")
        // An integer literal or an integral number (Python writes 3 or 3.0); booleans are not numbers here.
        guard let outputLength = try field(top, "output_length", "output_length").intValue else {
            throw EvaluationError.wrongType(path: path, field: "output_length", expected: "an integer")
        }
        guard outputLength > 0 else {
            throw EvaluationError.invalidValue(path: path, field: "output_length", detail: "must be > 0 (found \(outputLength))")
        }
        guard let metricList = try field(top, "metrics", "metrics").arrayValue,
              case let metrics = metricList.compactMap(\.stringValue), metrics.count == metricList.count else {
            throw EvaluationError.wrongType(path: path, field: "metrics", expected: "a list of strings")
        }
        for metric in metrics where MetricName(rawValue: metric) == nil {
            throw EvaluationError.unknownMetric(path: path, metric: metric)
        }
        guard let rawSamples = try field(top, "samples", "samples").arrayValue else {
            throw EvaluationError.wrongType(path: path, field: "samples", expected: "a list of {input, output} objects")
        }
        var samples: [EvalSample] = []
        samples.reserveCapacity(rawSamples.count)
        for (i, raw) in rawSamples.enumerated() {
            guard let item = raw.dictionaryValue else {
                throw EvaluationError.wrongType(path: path, field: "samples[\(i)]", expected: "an object")
            }
            samples.append(EvalSample(input: try string(item, "input", "samples[\(i)].input"),
                                      output: try string(item, "output", "samples[\(i)].output")))
        }
        if requireSamples && samples.isEmpty { throw EvaluationError.noSamples(path: path) }
        return DatasetFile(instruction: instruction, outputLength: outputLength, metrics: metrics, samples: samples,
                           sha256: SHA256.hex(data))
    }
}
