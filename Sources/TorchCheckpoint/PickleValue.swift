/// A value of the pickle stream, as the restricted unpickler builds it. Lists and dicts are reference boxes
/// because pickle memoizes a container before filling it (EMPTY_DICT, BINPUT, ..., SETITEMS).
public indirect enum PickleValue: @unchecked Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// An allow-listed global, not yet called (e.g. `torch.FloatStorage` as a storage type).
    case global(module: String, name: String)
    /// `('storage', type, key, location, numel)` from a persistent id.
    case storage(StorageReference)
    case tensor(TensorRecord)

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    public var dictValue: PickleDict? { if case .dict(let d) = self { return d }; return nil }
    public var tupleOrListItems: [PickleValue]? {
        switch self {
        case .tuple(let t): return t
        case .list(let l): return l.items
        default: return nil
        }
    }

    /// A short name of the kind, for error messages.
    var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let m, let n): return "\(m).\(n)"
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

public final class PickleList: @unchecked Sendable {
    public var items: [PickleValue] = []
    init(_ items: [PickleValue] = []) { self.items = items }
}

/// Insertion-ordered; keys are kept as values (string keys are what checkpoints use).
public final class PickleDict: @unchecked Sendable {
    public private(set) var keys: [PickleValue] = []
    public private(set) var values: [PickleValue] = []
    private var indexByString: [String: Int] = [:]

    func set(_ key: PickleValue, _ value: PickleValue) {
        if let s = key.stringValue, let i = indexByString[s] { values[i] = value; return }
        if let s = key.stringValue { indexByString[s] = keys.count }
        keys.append(key)
        values.append(value)
    }

    public subscript(_ key: String) -> PickleValue? {
        guard let i = indexByString[key] else { return nil }
        return values[i]
    }

    public var count: Int { keys.count }
}

public struct StorageReference: Sendable, Equatable {
    /// Name of the entry under `archive/data/`.
    public let key: String
    public let dtype: TorchDType
    /// Elements in the storage.
    public let count: Int
}

/// What `torch._utils._rebuild_tensor_v2` would build: a strided view of a storage.
public struct TensorRecord: Sendable, Equatable {
    public let storage: StorageReference
    public let offset: Int
    public let shape: [Int]
    public let strides: [Int]
}
