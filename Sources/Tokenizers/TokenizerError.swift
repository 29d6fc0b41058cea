import JSON

/// Every failure of the Tokenizers layer: one line naming the file (or component) and the field.
public enum TokenizerError: Error, CustomStringConvertible, Sendable {
    case io(path: String, reason: String)
    /// A tokenizer or config file that is not valid JSON (the JSON layer's error names file and byte).
    case json(JSONError)
    case missingField(file: String, field: String)
    case badField(file: String, field: String, reason: String)
    case unsupported(file: String, component: String, type: String)
    case regex(pattern: String, reason: String)
    case idOutOfRange(id: Int, vocabSize: Int)
    case unknownCharacter(component: String, text: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .json(let error): return error.description
        case .missingField(let file, let field): return "\(file): missing field '\(field)'"
        case .badField(let file, let field, let reason): return "\(file): field '\(field)': \(reason)"
        case .unsupported(let file, let component, let type):
            return "\(file): \(component) type '\(type)' is not supported by Kasane"
        case .regex(let pattern, let reason): return "regex '\(pattern)': \(reason)"
        case .idOutOfRange(let id, let vocabSize): return "token id \(id) is out of range (vocabulary size \(vocabSize))"
        case .unknownCharacter(let component, let text):
            return "\(component): cannot tokenize '\(text)': no unknown token configured"
        }
    }
}

extension TokenizerError {
    /// Parses a JSON file, failing with this layer's error.
    static func readJSON(file: String) throws(TokenizerError) -> JSONValue {
        do { return try JSONParser.parse(file: file) } catch { throw .json(error) }
    }
}
