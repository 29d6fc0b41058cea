/// Every failure of the tiny world (world and evalset generation, tokenizer building, training, checkpoint
/// writing): one line each, naming the file and the field.
public enum TinyWorldError: Error, CustomStringConvertible, Sendable {
    case unreadable(file: String, reason: String)
    case badRecipe(file: String, field: String, reason: String)
    /// A command-line value no run can use (recipe overrides are checked as recipe fields).
    case badOption(option: String, reason: String)
    case badCorpus(file: String, line: Int, reason: String)
    case tokenizer(file: String, reason: String)
    case writeFailed(path: String, reason: String)
    case diverged(step: Int, loss: Float)
    case badBatch(reason: String)
    /// The tokenizer builder cannot meet its vocabulary budget.
    case tokenizerBuilder(String)
    /// A task cannot draw enough distinct items for its splits.
    case tooFewItems(task: String, wanted: Int, found: Int)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read (\(reason))"
        case .badRecipe(let file, let field, let reason): return "\(file): field '\(field)': \(reason)"
        case .badOption(let option, let reason): return "\(option) \(reason)"
        case .badCorpus(let file, let line, let reason): return "\(file): line \(line): \(reason)"
        case .tokenizer(let file, let reason): return "\(file): tokenizer: \(reason)"
        case .writeFailed(let path, let reason): return "\(path): cannot write (\(reason))"
        case .diverged(let step, let loss): return "training diverged at step \(step): loss \(loss) is not finite"
        case .badBatch(let reason): return "training batch: \(reason)"
        case .tokenizerBuilder(let reason): return "tokenizer builder: \(reason)"
        case let .tooFewItems(task, wanted, found):
            return "tiny world: task \(task) could generate only \(found) distinct items, \(wanted) wanted"
        }
    }
}
