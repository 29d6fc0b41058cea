/// Every failure of the checkpoint reader: one line naming the file and what is wrong in it.
public enum TorchCheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case io(file: String, message: String)
    /// The zip container is malformed or uses a feature torch never writes (compression, encryption).
    case zip(file: String, message: String)
    /// The pickle stream is malformed or uses an opcode the reader does not know.
    case pickle(file: String, message: String)
    /// The pickle names a callable outside the allow-list; nothing was run.
    case refusedGlobal(file: String, global: String)
    /// A tensor record is inconsistent with its storage, or of a dtype Kasane does not read.
    case tensor(file: String, name: String, message: String)

    public var description: String {
        switch self {
        case let .io(file, message): return "\(file): \(message)"
        case let .zip(file, message): return "\(file): zip: \(message)"
        case let .pickle(file, message): return "\(file): pickle: \(message)"
        case let .refusedGlobal(file, global):
            return "\(file): refused to load: the pickle calls '\(global)', which is not a tensor-rebuild function "
                + "or plain container (only weights are read, as torch.load(weights_only=True))"
        case let .tensor(file, name, message): return "\(file): tensor '\(name)': \(message)"
        }
    }
}
