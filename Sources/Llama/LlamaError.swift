/// Errors of the Llama layer. Each description is one line naming the file (or tensor) and the field at fault.
public enum LlamaError: Error, CustomStringConvertible, Equatable {
    /// `config.json` could not be read or is not a JSON object.
    case unreadableConfig(file: String, reason: String)
    /// A required config field is absent.
    case missingField(file: String, field: String)
    /// A config field has the wrong JSON type or an impossible value.
    case invalidField(file: String, field: String, reason: String)
    /// The config describes something this engine does not implement (model type, RoPE type, biases, ...).
    case unsupported(file: String, field: String, reason: String)
    /// A weight tensor the config requires is absent from the checkpoint.
    case missingTensor(name: String, source: String)
    /// A weight tensor's shape differs from what the config implies.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A token id outside `0..<vocab_size`.
    case tokenOutOfRange(id: Int, vocabSize: Int)
    /// A caller error: empty prompt, sequence index out of range, cache too small, foreign prefix cache, ...
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .unreadableConfig(file, reason): return "\(file): cannot read config: \(reason)"
        case let .missingField(file, field): return "\(file): missing field '\(field)'"
        case let .invalidField(file, field, reason): return "\(file): field '\(field)' \(reason)"
        case let .unsupported(file, field, reason): return "\(file): field '\(field)': \(reason)"
        case let .missingTensor(name, source): return "\(source): missing tensor '\(name)'"
        case let .shapeMismatch(name, expected, found):
            return "tensor '\(name)': shape \(found) does not match the config, expected \(expected)"
        case let .tokenOutOfRange(id, vocab): return "token id \(id) is outside the vocabulary 0..<\(vocab)"
        case let .invalidRequest(message): return message
        }
    }
}
