/// Every failure of the SafeTensors layer: one line naming the file and the field or tensor at fault.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened, read or written.
    case io(file: String, message: String)
    /// The file is shorter than its header says.
    case truncated(file: String, message: String)
    /// The header (or index) is malformed: `field` is the JSON key path at fault.
    case header(file: String, field: String, message: String)
    /// A tensor's dtype is not one Kasane reads.
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A requested tensor does not exist.
    case missingTensor(file: String, tensor: String)
    /// Writer misuse or inconsistent data.
    case writer(file: String, message: String)

    public var description: String {
        switch self {
        case let .io(file, message): return "\(file): \(message)"
        case let .truncated(file, message): return "\(file): truncated file: \(message)"
        case let .header(file, field, message): return "\(file): \(field): \(message)"
        case let .unsupportedDType(file, tensor, dtype):
            let known = DType.allSafetensorsNames.contains(dtype)
            return "\(file): tensor '\(tensor)': \(known ? "unsupported" : "unknown") dtype '\(dtype)' (Kasane reads F32, F16, BF16)"
        case let .missingTensor(file, tensor): return "\(file): missing tensor '\(tensor)'"
        case let .writer(file, message): return "\(file): \(message)"
        }
    }
}
