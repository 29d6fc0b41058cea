/// JSON text as Python's `json.dumps(..., ensure_ascii=False)` writes it (serde_json writes strings the same way),
/// so files written through it can equal Python-written ones byte for byte.
public enum JSONWriter {
    /// How values are laid out: `compact` is `separators=(",", ":")`, `python` is json.dumps' default (", ", ": "),
    /// `indented(n)` is `indent=n`.
    public enum Layout: Sendable, Equatable {
        case compact, python, indented(Int)
    }

    /// The text of `value`. `sortKeys` orders object members by key (Python's `sort_keys=True`); otherwise they
    /// keep their order. Non-finite numbers are written as Python writes them (`NaN`, `Infinity`, `-Infinity`).
    public static func string(_ value: JSONValue, layout: Layout = .compact, sortKeys: Bool = false) -> String {
        var out = ""
        write(value, into: &out, layout: layout, sortKeys: sortKeys, depth: 0)
        return out
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    public static func intArray(_ ids: [Int]) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    /// A Double as Python's `repr` writes it (the shortest text that reads back the same value).
    public static func number(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return "\(d)"
    }

    private static func write(_ value: JSONValue, into out: inout String, layout: Layout, sortKeys: Bool, depth: Int) {
        switch value {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .integer(i): out += String(i)
        case let .number(d): out += number(d)
        case let .string(s): out += quote(s)
        case let .array(items):
            container("[", "]", items.map { (nil, $0) }, into: &out, layout: layout, sortKeys: sortKeys, depth: depth)
        case let .object(pairs):
            let members = sortKeys ? pairs.sorted { $0.0 < $1.0 } : pairs
            container("{", "}", members.map { (Optional($0.0), $0.1) }, into: &out, layout: layout, sortKeys: sortKeys,
                      depth: depth)
        }
    }

    private static func container(_ open: String, _ close: String, _ members: [(String?, JSONValue)],
                                  into out: inout String, layout: Layout, sortKeys: Bool, depth: Int) {
        out += open
        guard !members.isEmpty else { out += close; return }
        let keySeparator = layout == .compact ? ":" : ": "
        let itemSeparator = layout == .python ? ", " : ","
        var indent: String?
        if case let .indented(n) = layout { indent = String(repeating: " ", count: n) }
        for (k, (key, value)) in members.enumerated() {
            if k > 0 { out += itemSeparator }
            if let indent { out += "\n" + String(repeating: indent, count: depth + 1) }
            if let key { out += quote(key) + keySeparator }
            write(value, into: &out, layout: layout, sortKeys: sortKeys, depth: depth + 1)
        }
        if let indent { out += "\n" + String(repeating: indent, count: depth) }
        out += close
    }
}

/// Literals build values in place: `["kind": "average", "members": .array(steps.map(JSONValue.integer))]`.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
                     ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
                     ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }
}

/// Builders for values made from Swift collections.
extension JSONValue {
    /// An object from a dictionary (member order is the dictionary's; write with `sortKeys` for stable text).
    public static func dictionary(_ members: [String: JSONValue]) -> JSONValue { .object(members.map { ($0.key, $0.value) }) }
    /// A number, or null when absent or not finite (JSON has no NaN).
    public static func finite(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }
    public static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
    public static func integers(_ values: [Int]) -> JSONValue { .array(values.map(JSONValue.integer)) }
    /// Finite numbers by name (non-finite ones become null).
    public static func numbers(_ values: [String: Double]) -> JSONValue { .dictionary(values.mapValues { .finite($0) }) }
}
