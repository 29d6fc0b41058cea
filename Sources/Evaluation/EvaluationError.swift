/// Every failure of the Evaluation target. Each description is one line naming the file (or dataset) and field.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(path: String, what: String)
    case malformedJSON(path: String, detail: String)
    case missingField(path: String, field: String)
    case wrongType(path: String, field: String, expected: String)
    case invalidValue(path: String, field: String, detail: String)
    case noSamples(path: String)
    case notEnoughShots(path: String, requested: Int, available: Int)
    case unknownMetric(path: String, metric: String)
    case unknownDataset(root: String, name: String)
    case unknownCategory(name: String)
    case noDatasets(root: String, detail: String)
    case template(field: String, detail: String)
    case scoring(dataset: String, field: String, detail: String)
    case vocabularyMismatch(tokenizerVocab: Int, modelVocab: Int)
    case generation(dataset: String, detail: String)
    case output(path: String, detail: String)
    /// A file whose content matches none of the accepted shapes.
    case unrecognizedFile(path: String, expected: String)
    /// A command-line value that does not parse.
    case invalidOption(option: String, value: String, expected: String)

    public var description: String {
        switch self {
        case let .fileNotFound(path, what): return "\(path): \(what) not found"
        case let .malformedJSON(path, detail): return "\(path): malformed JSON (\(detail))"
        case let .missingField(path, field): return "\(path): missing field '\(field)'"
        case let .wrongType(path, field, expected): return "\(path): field '\(field)' must be \(expected)"
        case let .invalidValue(path, field, detail): return "\(path): field '\(field)' \(detail)"
        case let .noSamples(path): return "\(path): field 'samples' is empty (no samples to evaluate)"
        case let .notEnoughShots(path, requested, available):
            return "\(path): field 'samples' holds \(available) train samples, fewer than the \(requested) shots asked"
        case let .unknownMetric(path, metric): return "\(path): field 'metrics' names unknown metric '\(metric)'"
        case let .unknownDataset(root, name): return "\(root): no dataset file '\(name).json'"
        case let .unknownCategory(name): return "--categories: unknown category '\(name)' (known: \(Categories.order.joined(separator: ", ")))"
        case let .noDatasets(root, detail): return "\(root): \(detail)"
        case let .template(field, detail): return "\(field): \(detail)"
        case let .scoring(dataset, field, detail): return "\(dataset): \(field) \(detail)"
        case let .vocabularyMismatch(tok, model):
            return "tokenizer.json: vocabulary size \(tok) exceeds the model's vocab_size \(model) (config.json)"
        case let .generation(dataset, detail): return "\(dataset): generation failed (\(detail))"
        case let .output(path, detail): return "\(path): \(detail)"
        case let .unrecognizedFile(path, expected): return "\(path): not a predictions file (expected \(expected))"
        case let .invalidOption(option, value, expected): return "\(option): '\(value)' is not valid (expected \(expected))"
        }
    }
}
