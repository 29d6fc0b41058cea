/// A failure while a command runs, as opposed to a bad option (`ValidationError`): one line naming the file.
enum CommandError: Error, CustomStringConvertible {
    /// An output file that cannot be written.
    case output(path: String, reason: String)
    /// An entry of an input file that cannot be used.
    case input(path: String, entry: String, reason: String)
    /// A result that must not be printed as if it were a number (a non-finite logit).
    case invalidResult(String)

    var description: String {
        switch self {
        case let .output(path, reason): return "\(path): \(reason)"
        case let .input(path, entry, reason): return "\(path): \(entry): \(reason)"
        case let .invalidResult(what): return what
        }
    }
}
