/// A parsed JSON value. Objects keep their key order (a vocabulary is read in file order). A number written
/// without fraction or exponent that fits an Int stays an exact `.integer` (safetensors offsets need all 64 bits).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// The value of `key` in an object (the last one if the key repeats, as Python's json reads it).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last { $0.0 == key }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { if case .null = self { return true }; return false }
    public var isNumber: Bool { doubleValue != nil }

    /// Any number, as a Double.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// An integral number that fits an Int (`2`, `2.0` and `2e0` all give 2, as Python's `int(x) == x` allows).
    public var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .number(let d): return d == d.rounded() && abs(d) < 9.0e15 ? Int(d) : nil
        default: return nil
        }
    }

    /// A number written as a plain non-negative integer literal (serde's `u64` rule: `1.0` and `1e3` are not).
    public var exactNonNegativeInt: Int? {
        if case .integer(let i) = self, i >= 0 { return i }
        return nil
    }

    /// An object's members as a dictionary (the last value wins for a repeated key).
    public var dictionaryValue: [String: JSONValue]? {
        objectValue.map { Dictionary($0, uniquingKeysWith: { _, last in last }) }
    }

    /// "an object", "a number", ...: for errors that say what was found instead.
    public var typeName: String {
        switch self {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .integer, .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }
}

/// Equality is JSON's, not the text's: `1 == 1.0`, and objects compare by key whatever their order.
extension JSONValue: Equatable {
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case (.object, .object): return a.dictionaryValue == b.dictionaryValue
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return false }
            if case let (.integer(i), .integer(j)) = (a, b) { return i == j }
            return x == y
        }
    }
}

/// A compact one-line rendering for error messages (keys sorted, integral numbers without ".0").
extension JSONValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .integer(i): return String(i)
        case let .number(n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case let .string(s): return "\"\(s)\""
        case let .array(a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object:
            let o = dictionaryValue ?? [:]
            return "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}
