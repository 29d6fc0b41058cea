/// Every failure of the JSON layer: one line naming the file and the byte where parsing stopped.
public enum JSONError: Error, CustomStringConvertible, Sendable, Equatable {
    case unreadable(file: String)
    case syntax(file: String, offset: Int, reason: String)
    case invalidUTF8(file: String, offset: Int)

    /// The failure without the file name, for callers whose own error already names the file.
    public var message: String {
        switch self {
        case .unreadable: return "cannot read file"
        case let .syntax(_, offset, reason): return "invalid JSON at byte \(offset): \(reason)"
        case let .invalidUTF8(_, offset): return "invalid UTF-8 at byte \(offset)"
        }
    }

    public var file: String {
        switch self {
        case let .unreadable(file), let .syntax(file, _, _), let .invalidUTF8(file, _): return file
        }
    }

    public var description: String { "\(file): \(message)" }
}
