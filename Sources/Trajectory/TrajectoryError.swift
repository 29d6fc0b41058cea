/// Errors of the Trajectory layer's averaging, ensemble, stability and report code: one line each, naming the file,
/// tensor, dataset or option at fault.
public enum TrajectoryError: Error, CustomStringConvertible, Sendable {
    case invalidOption(option: String, value: String, expected: String)
    case tooFewCheckpoints(needed: Int, found: Int, context: String)
    case mismatch(file: String, tensor: String, field: String, expected: String, found: String)
    case configMismatch(file: String, field: String, expected: String, found: String)
    case missingFile(path: String, what: String)
    case io(path: String, reason: String)
    case inconsistentTable(dataset: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidOption(option, value, expected):
            return "\(option): '\(value)' is not valid (expected \(expected))"
        case let .tooFewCheckpoints(needed, found, context):
            return "\(context): needs at least \(needed) checkpoints, found \(found)"
        case let .mismatch(file, tensor, field, expected, found):
            return "\(file): tensor '\(tensor)' \(field) is \(found), but the window's first checkpoint has \(expected)"
        case let .configMismatch(file, field, expected, found):
            return "\(file): config field '\(field)' is \(found), but the window's first checkpoint has \(expected)"
        case let .missingFile(path, what):
            return "\(path): \(what) not found"
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .inconsistentTable(dataset, reason):
            return "dataset '\(dataset)': \(reason)"
        }
    }
}
