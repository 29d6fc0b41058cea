import JSON

extension JSONValue {
    /// `self[key]` read by `value` (e.g. `\.stringValue`); absent or of another type, a missing-field error naming
    /// `field` of `file`.
    func required<T>(_ key: String, _ value: (JSONValue) -> T?, file: String, field: String) throws -> T {
        guard let found = self[key].flatMap(value) else { throw TokenizerError.missingField(file: file, field: field) }
        return found
    }
}
