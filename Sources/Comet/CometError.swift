/// Every failure of the COMET scorer: one line naming the file and the field at fault.
public enum CometError: Error, CustomStringConvertible, Equatable {
    case missingFile(path: String, hint: String)
    case badField(file: String, field: String, reason: String)
    case badInput(String)

    public var description: String {
        switch self {
        case let .missingFile(path, hint): return "\(path): no such file (\(hint))"
        case let .badField(file, field, reason): return "\(file): \(field): \(reason)"
        case let .badInput(message): return message
        }
    }
}
