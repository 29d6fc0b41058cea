/// The one error type of the Trajectory target. Each description is a single line naming the file and the field.
public enum TrajectoryError: Error, CustomStringConvertible, Sendable {
    /// A checkpoint folder or list file that cannot be used (missing file, bad header, unknown naming).
    case checkpoint(path: String, reason: String)
    /// Two checkpoints of one run whose config.json disagree on a field that changes the model.
    case configMismatch(path: String, reference: String, field: String, expected: String, found: String)
    /// A bad `--steps`, `--last-fraction` or similar selection.
    case selection(String)
    /// The SQLite store: open/read/write failures, with the SQLite message.
    case store(path: String, reason: String)
    /// A store written by another schema version or by another program; left untouched.
    case incompatibleStore(path: String, reason: String)
    /// Something the caller asked for that the store does not hold (a run, model or dataset).
    case notFound(path: String, what: String)
    /// Writing an export or log file failed.
    case output(path: String, reason: String)
    /// A command-line option with a value that cannot be used.
    case invalidOption(option: String, value: String, expected: String)
    /// Too few checkpoints (or positions) for what was asked.
    case tooFewCheckpoints(needed: Int, found: Int, context: String)
    /// A tensor of one averaging member that disagrees with the window's first member.
    case mismatch(file: String, tensor: String, field: String, expected: String, found: String)
    /// An input file that is absent.
    case missingFile(path: String, what: String)
    /// A prediction table whose series do not line up.
    case inconsistentTable(dataset: String, reason: String)

    public var description: String {
        switch self {
        case let .checkpoint(path, reason): return "\(path): \(reason)"
        case let .configMismatch(path, reference, field, expected, found):
            return "\(path)/config.json: field '\(field)' is \(found), but \(reference)/config.json has \(expected);"
                + " all checkpoints of a run must share the architecture"
        case let .selection(message): return message
        case let .store(path, reason): return "\(path): \(reason)"
        case let .incompatibleStore(path, reason): return "\(path): \(reason); the file was left untouched"
        case let .notFound(path, what): return "\(path): \(what) not found in the store"
        case let .output(path, reason): return "\(path): \(reason)"
        case let .invalidOption(option, value, expected):
            return "\(option): '\(value)' is not valid (expected \(expected))"
        case let .tooFewCheckpoints(needed, found, context):
            return "\(context): needs at least \(needed) checkpoints, found \(found)"
        case let .mismatch(file, tensor, field, expected, found):
            return "\(file): tensor '\(tensor)' \(field) is \(found), but the window's first checkpoint has \(expected)"
        case let .missingFile(path, what):
            return "\(path): \(what) not found"
        case let .inconsistentTable(dataset, reason):
            return "dataset '\(dataset)': \(reason)"
        }
    }
}
