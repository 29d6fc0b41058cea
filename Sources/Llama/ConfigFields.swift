import JSON

/// Typed access to the fields of one JSON object of a config file, with errors naming the file and field.
struct ConfigFields {
    let file: String
    let object: [String: JSONValue]
    /// Dotted prefix for nested objects (`rope_scaling.`), so errors name the full field path.
    let prefix: String

    func has(_ key: String) -> Bool {
        if let v = object[key], v != .null { return true }
        return false
    }

    func raw(_ key: String) -> JSONValue? { object[key] }

    func int(_ key: String) throws -> Int { try required(key, int) }

    func int(_ key: String, default value: Int) throws -> Int { try optional(key, default: value, int) }

    func positiveInt(_ key: String) throws -> Int {
        let v = try int(key)
        guard v > 0 else { throw LlamaError.invalidField(file: file, field: prefix + key, reason: "must be positive, found \(v)") }
        return v
    }

    func double(_ key: String) throws -> Double { try required(key, double) }

    func double(_ key: String, default value: Double) throws -> Double { try optional(key, default: value, double) }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let v = object[key], v != .null else { return value }
        guard case let .bool(b) = v else { throw wrongType(key, "a boolean", v) }
        return b
    }

    func string(_ key: String) throws -> String? {
        guard let v = object[key], v != .null else { return nil }
        guard case let .string(s) = v else { throw wrongType(key, "a string", v) }
        return s
    }

    func object(_ key: String) throws -> ConfigFields? {
        guard let v = object[key], v != .null else { return nil }
        guard let o = v.dictionaryValue else { throw wrongType(key, "an object", v) }
        return ConfigFields(file: file, object: o, prefix: prefix + key + ".")
    }

    /// An optional id: absent → `absent`, null → nil, otherwise an integer.
    func optionalId(_ key: String, absent: Int?) throws -> Int? {
        guard let v = object[key] else { return absent }
        if v == .null { return nil }
        return try int(key, v)
    }

    /// An int or a list of ints (eos_token_id in other families); absent → `absent`, null → [].
    func intList(_ key: String, absent: [Int]) throws -> [Int] {
        guard let v = object[key] else { return absent }
        switch v {
        case .null: return []
        case .integer, .number: return [try int(key, v)]
        case let .array(items): return try items.map { try int(key, $0) }
        default: throw wrongType(key, "an integer or a list of integers", v)
        }
    }

    /// A field that must be present (null reads as null, so the type check names it).
    private func required<T>(_ key: String, _ read: (String, JSONValue) throws -> T) throws -> T {
        guard let v = object[key] else { throw LlamaError.missingField(file: file, field: prefix + key) }
        return try read(key, v)
    }

    /// A field whose absence or null means `value`.
    private func optional<T>(_ key: String, default value: T, _ read: (String, JSONValue) throws -> T) throws -> T {
        guard let v = object[key], v != .null else { return value }
        return try read(key, v)
    }

    private func int(_ key: String, _ v: JSONValue) throws -> Int {
        guard let d = v.doubleValue else { throw wrongType(key, "an integer", v) }
        guard let i = v.intValue else {
            throw LlamaError.invalidField(file: file, field: prefix + key, reason: "must be an integer, found \(d)")
        }
        return i
    }

    private func double(_ key: String, _ v: JSONValue) throws -> Double {
        guard let d = v.doubleValue else { throw wrongType(key, "a number", v) }
        return d
    }

    private func wrongType(_ key: String, _ expected: String, _ v: JSONValue) -> LlamaError {
        .invalidField(file: file, field: prefix + key, reason: "must be \(expected), found \(v.typeName)")
    }
}
