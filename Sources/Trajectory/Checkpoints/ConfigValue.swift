import Foundation

/// A JSON value with equality and a compact rendering, for comparing config.json files across checkpoints.
public indirect enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case null, bool(Bool), number(Double), string(String), array([ConfigValue]), object([String: ConfigValue])

    init(any value: Any) {
        switch value {
        case let n as NSNumber:
            // JSONSerialization gives NSNumber for both; booleans carry the one-byte "c" type, which no JSON number does.
            if String(cString: n.objCType) == "c" { self = .bool(n.boolValue) } else { self = .number(n.doubleValue) }
        case let s as String: self = .string(s)
        case let a as [Any]: self = .array(a.map { ConfigValue(any: $0) })
        case let o as [String: Any]: self = .object(o.mapValues { ConfigValue(any: $0) })
        default: self = .null
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case let .string(s): return "\"\(s)\""
        case let .array(a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case let .object(o): return "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}
