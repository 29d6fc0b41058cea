import JSON

/// A tokenizer.json component chosen by its `"type"` field (normalizer, pre_tokenizer, decoder), where type
/// `"Sequence"` holds a list of the same component under `listKey`.
protocol TypedComponent {
    /// The component's key in tokenizer.json, which names it in errors ("normalizer").
    static var component: String { get }
    /// The key of a Sequence's members ("normalizers").
    static var listKey: String { get }
    static func sequence(_ members: [Self]) -> Self
    /// The component of one non-Sequence `type`, or nil when the type is not supported.
    static func parse(type: String, _ json: JSONValue, file: String) throws -> Self?
}

extension TypedComponent {
    static func parse(_ json: JSONValue, file: String) throws -> Self {
        let type = try json.required("type", \.stringValue, file: file, field: "\(component).type")
        if type == "Sequence" {
            let list = try json.required(listKey, \.arrayValue, file: file, field: "\(component).\(listKey)")
            return sequence(try list.map { try parse($0, file: file) })
        }
        guard let parsed = try parse(type: type, json, file: file) else {
            throw TokenizerError.unsupported(file: file, component: component, type: type)
        }
        return parsed
    }
}
