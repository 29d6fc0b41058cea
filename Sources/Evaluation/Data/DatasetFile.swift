import Foundation

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
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw EvaluationError.malformedJSON(path: path, detail: Self.shortReason(error))
        }
        guard let top = object as? [String: Any] else {
            throw EvaluationError.wrongType(path: path, field: "(top level)", expected: "a JSON object")
        }
        guard let instructionValue = top["instruction"] else { throw EvaluationError.missingField(path: path, field: "instruction") }
        guard let instruction = instructionValue as? String else {
            throw EvaluationError.wrongType(path: path, field: "instruction", expected: "a string")
        }
        guard let lengthValue = top["output_length"] else { throw EvaluationError.missingField(path: path, field: "output_length") }
        guard let number = lengthValue as? NSNumber, String(describing: type(of: lengthValue)) != "__NSCFBoolean", String(cString: number.objCType) != "c",
              let outputLength = Int(exactly: number.doubleValue) else {
            throw EvaluationError.wrongType(path: path, field: "output_length", expected: "an integer")
        }
        guard outputLength > 0 else {
            throw EvaluationError.invalidValue(path: path, field: "output_length", detail: "must be > 0 (found \(outputLength))")
        }
        guard let metricsValue = top["metrics"] else { throw EvaluationError.missingField(path: path, field: "metrics") }
        guard let metrics = metricsValue as? [String] else {
            throw EvaluationError.wrongType(path: path, field: "metrics", expected: "a list of strings")
        }
        for metric in metrics where MetricName(rawValue: metric) == nil {
            throw EvaluationError.unknownMetric(path: path, metric: metric)
        }
        guard let samplesValue = top["samples"] else { throw EvaluationError.missingField(path: path, field: "samples") }
        guard let rawSamples = samplesValue as? [Any] else {
            throw EvaluationError.wrongType(path: path, field: "samples", expected: "a list of {input, output} objects")
        }
        var samples: [EvalSample] = []
        samples.reserveCapacity(rawSamples.count)
        for (i, raw) in rawSamples.enumerated() {
            guard let item = raw as? [String: Any] else {
                throw EvaluationError.wrongType(path: path, field: "samples[\(i)]", expected: "an object")
            }
            guard let inputValue = item["input"] else { throw EvaluationError.missingField(path: path, field: "samples[\(i)].input") }
            guard let input = inputValue as? String else {
                throw EvaluationError.wrongType(path: path, field: "samples[\(i)].input", expected: "a string")
            }
            guard let outputValue = item["output"] else { throw EvaluationError.missingField(path: path, field: "samples[\(i)].output") }
            guard let output = outputValue as? String else {
                throw EvaluationError.wrongType(path: path, field: "samples[\(i)].output", expected: "a string")
            }
            samples.append(EvalSample(input: input, output: output))
        }
        if requireSamples && samples.isEmpty { throw EvaluationError.noSamples(path: path) }
        return DatasetFile(instruction: instruction, outputLength: outputLength, metrics: metrics, samples: samples,
                           sha256: SHA256.hex(data))
    }

    private static func shortReason(_ error: Error) -> String {
        let ns = error as NSError
        if let debug = ns.userInfo["NSDebugDescription"] as? String { return debug }
        return ns.localizedDescription
    }
}
