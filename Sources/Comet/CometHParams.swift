import Foundation

/// The keys of a COMET `hparams.yaml` that change inference. The file is flat YAML (`key: value`, lists as
/// `- item` lines under their key), so a small reader suffices; nested mappings are not needed.
public struct CometHParams: Sendable, Equatable {
    public var classIdentifier: String
    public var encoderModel: String
    public var pretrainedModel: String
    /// "mix" (layer-wise attention over all hidden states) or a layer index.
    public var layer: String
    /// COMET applies sparsemax only for exactly "sparsemax"; any other value ("softmax", "sparsemax_patch") is softmax.
    public var layerTransformation: String
    public var layerNorm: Bool
    public var pool: String
    public var hiddenSizes: [Int]
    public var activations: String
    public var finalActivation: String?

    public var usesSparsemax: Bool { layerTransformation == "sparsemax" }

    public init(file: String) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CometError.missingFile(path: file, hint: "a COMET model folder holds hparams.yaml beside checkpoints/")
        }
        let values = Self.parse(text)
        func scalar(_ key: String, default d: String? = nil) throws -> String {
            if case .scalar(let s)? = values[key] { return s }
            if let d, values[key] == nil { return d }
            throw CometError.badField(file: file, field: key, reason: values[key] == nil ? "missing" : "expected a single value")
        }
        classIdentifier = try scalar("class_identifier")
        guard classIdentifier == "regression_metric" else {
            throw CometError.badField(file: file, field: "class_identifier",
                                      reason: "'\(classIdentifier)' is not supported (only regression_metric, e.g. wmt22-comet-da)")
        }
        encoderModel = try scalar("encoder_model")
        guard encoderModel == "XLM-RoBERTa" else {
            throw CometError.badField(file: file, field: "encoder_model", reason: "'\(encoderModel)' is not supported (only XLM-RoBERTa)")
        }
        pretrainedModel = try scalar("pretrained_model")
        layer = try scalar("layer", default: "mix")
        layerTransformation = try scalar("layer_transformation", default: "softmax")
        let norm = try scalar("layer_norm", default: "true").lowercased()
        guard norm == "true" || norm == "false" else { throw CometError.badField(file: file, field: "layer_norm", reason: "expected true or false") }
        layerNorm = norm == "true"
        pool = try scalar("pool", default: "avg")
        guard pool == "avg" else { throw CometError.badField(file: file, field: "pool", reason: "'\(pool)' is not supported (only avg)") }
        guard case .list(let sizes)? = values["hidden_sizes"] else {
            throw CometError.badField(file: file, field: "hidden_sizes", reason: "missing or not a list")
        }
        hiddenSizes = try sizes.map {
            guard let n = Int($0), n > 0 else { throw CometError.badField(file: file, field: "hidden_sizes", reason: "'\($0)' is not a size") }
            return n
        }
        activations = try scalar("activations", default: "Tanh")
        let final = try scalar("final_activation", default: "null")
        finalActivation = final == "null" || final == "~" || final.isEmpty ? nil : final
        for (field, name) in [("activations", activations), ("final_activation", finalActivation ?? "Tanh")] where Activation(name) == nil {
            throw CometError.badField(file: file, field: field, reason: "'\(name)' is not supported (Tanh, Sigmoid)")
        }
    }

    enum Value: Equatable { case scalar(String), list([String]) }

    /// Top-level `key: value` and `key:` followed by `- item` lines; quotes around scalars are removed.
    static func parse(_ text: String) -> [String: Value] {
        var out: [String: Value] = [:]
        var listKey: String?
        func unquote(_ s: Substring) -> String {
            var t = s.trimmingCharacters(in: .whitespaces)
            if t.count >= 2, let f = t.first, f == t.last, f == "'" || f == "\"" { t = String(t.dropFirst().dropLast()) }
            return t
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("#") { continue }
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("- ") || trimmed == "-" {
                if let k = listKey, case .list(let items)? = out[k] { out[k] = .list(items + [unquote(trimmed.dropFirst())]) }
                continue
            }
            guard line.first != " ", let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let rest = unquote(line[line.index(after: colon)...])
            if rest.isEmpty {
                out[key] = .list([]); listKey = key
            } else if rest == "[]" {
                out[key] = .list([]); listKey = nil
            } else if rest.hasPrefix("[") && rest.hasSuffix("]") {
                out[key] = .list(rest.dropFirst().dropLast().split(separator: ",").map(unquote)); listKey = nil
            } else {
                out[key] = .scalar(rest); listKey = nil
            }
        }
        return out
    }
}

/// The estimator's activation, by the torch.nn class name COMET looks up (`getattr(nn, name.title())`).
enum Activation: Sendable {
    case tanh, sigmoid

    init?(_ name: String) {
        switch name.lowercased() {
        case "tanh": self = .tanh
        case "sigmoid": self = .sigmoid
        default: return nil
        }
    }

    func apply(_ x: inout [Float]) {
        switch self {
        case .tanh: for i in x.indices { x[i] = tanhf(x[i]) }
        case .sigmoid: for i in x.indices { x[i] = 1 / (1 + expf(-x[i])) }
        }
    }
}
