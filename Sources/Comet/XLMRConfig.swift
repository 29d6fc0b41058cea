import Foundation
import JSON

/// The XLM-R encoder's shape, from the transformers `config.json` COMET loads for `pretrained_model`.
public struct XLMRConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var layers: Int
    public var heads: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var layerNormEps: Float
    public var padTokenId: Int

    /// What COMET passes to the tokenizer as `max_length`: `max_position_embeddings - 2` positions, minus 2 more
    /// (COMET's `prepare_sample`), specials included. 510 for xlm-roberta-large.
    public var maxTokens: Int { maxPositions - 4 }

    /// xlm-roberta-large, the encoder of wmt22-comet-da, for a folder without config.json.
    public static let xlmRobertaLarge = XLMRConfig(hiddenSize: 1024, layers: 24, heads: 16, intermediateSize: 4096,
                                                   maxPositions: 514, layerNormEps: 1e-5, padTokenId: 1)

    public init(hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int, maxPositions: Int, layerNormEps: Float, padTokenId: Int) {
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.layerNormEps = layerNormEps
        self.padTokenId = padTokenId
    }

    public init(file: String) throws {
        let json: JSONValue
        do { json = try JSONParser.parse(file: file) } catch { throw CometError.badField(file: file, field: "(file)", reason: "\(error)") }
        func int(_ key: String) throws -> Int {
            guard let v = json[key]?.intValue, v > 0 || key == "pad_token_id" else {
                throw CometError.badField(file: file, field: key, reason: "missing or not a positive integer")
            }
            return v
        }
        hiddenSize = try int("hidden_size")
        layers = try int("num_hidden_layers")
        heads = try int("num_attention_heads")
        intermediateSize = try int("intermediate_size")
        maxPositions = try int("max_position_embeddings")
        padTokenId = try int("pad_token_id")
        layerNormEps = Float(json["layer_norm_eps"]?.doubleValue ?? 1e-5)
        guard hiddenSize % heads == 0 else { throw CometError.badField(file: file, field: "num_attention_heads", reason: "does not divide hidden_size") }
        // The last of maxTokens positions is numbered padTokenId + maxTokens and must have an embedding.
        guard maxPositions > 4, padTokenId + maxTokens < maxPositions else {
            throw CometError.badField(file: file, field: "max_position_embeddings", reason: "\(maxPositions) leaves no room for pad_token_id \(padTokenId) + \(maxPositions - 4) tokens")
        }
        if let act = json["hidden_act"]?.stringValue, act != "gelu" {
            throw CometError.badField(file: file, field: "hidden_act", reason: "'\(act)' is not supported (only gelu)")
        }
        if let kind = json["position_embedding_type"]?.stringValue, kind != "absolute" {
            throw CometError.badField(file: file, field: "position_embedding_type", reason: "'\(kind)' is not supported (only absolute)")
        }
    }
}
