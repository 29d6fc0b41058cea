/// The one error type of the Linalg target: a measurement asked for with a value it cannot run with. One line,
/// naming the option.
public enum LinalgError: Error, CustomStringConvertible, Equatable {
    case outOfRange(option: String, range: String)

    public var description: String {
        switch self {
        case let .outOfRange(option, range): return "\(option) must be in \(range)"
        }
    }
}
