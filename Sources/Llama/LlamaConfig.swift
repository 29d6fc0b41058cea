import Foundation
import JSON

/// Llama 3.1-style RoPE frequency scaling (`rope_type: "llama3"`), as transformers' `_compute_llama3_parameters`.
public struct Llama3RopeScaling: Sendable, Equatable {
    public var factor: Double
    public var lowFreqFactor: Double
    public var highFreqFactor: Double
    public var originalMaxPositionEmbeddings: Int

    public init(factor: Double, lowFreqFactor: Double, highFreqFactor: Double, originalMaxPositionEmbeddings: Int) {
        self.factor = factor
        self.lowFreqFactor = lowFreqFactor
        self.highFreqFactor = highFreqFactor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
    }
}

/// The architecture of a `LlamaForCausalLM` checkpoint, read from its `config.json`.
public struct LlamaConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numLayers: Int
    public var numHeads: Int
    public var numKVHeads: Int
    public var headDim: Int
    public var vocabSize: Int
    public var rmsNormEps: Float
    public var ropeTheta: Double
    /// nil for the default RoPE.
    public var ropeScaling: Llama3RopeScaling?
    public var tieWordEmbeddings: Bool
    public var maxPositionEmbeddings: Int
    public var bosTokenId: Int?
    public var eosTokenIds: [Int]
    /// Informational (`torch_dtype` in 4.x configs, `dtype` in 5.x); every tensor's real dtype comes from its header.
    public var torchDtype: String?

    public init(hiddenSize: Int, intermediateSize: Int, numLayers: Int, numHeads: Int, numKVHeads: Int? = nil,
                headDim: Int? = nil, vocabSize: Int, rmsNormEps: Float = 1e-5, ropeTheta: Double = 10000,
                ropeScaling: Llama3RopeScaling? = nil, tieWordEmbeddings: Bool = false,
                maxPositionEmbeddings: Int = 4096, bosTokenId: Int? = 1, eosTokenIds: [Int] = [2],
                torchDtype: String? = nil) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numLayers = numLayers
        self.numHeads = numHeads
        self.numKVHeads = numKVHeads ?? numHeads
        self.headDim = headDim ?? (numHeads > 0 ? hiddenSize / numHeads : 0)
        self.vocabSize = vocabSize
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tieWordEmbeddings = tieWordEmbeddings
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.bosTokenId = bosTokenId
        self.eosTokenIds = eosTokenIds
        self.torchDtype = torchDtype
    }

    /// Reads a `config.json` (a file, or a checkpoint folder holding one) in the transformers 4.x style
    /// (`rope_theta`, `rope_scaling`, `torch_dtype`) or the 5.x style (`rope_parameters`, `dtype`).
    /// Optional fields take the defaults of transformers' `LlamaConfig`, so both read a file the same way.
    public static func load(path: String) throws -> LlamaConfig {
        var isDirectory: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? (path as NSString).appendingPathComponent("config.json") : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LlamaError.unreadableConfig(file: file, reason: "no such file or not readable")
        }
        return try parse(ConfigFields(file: file, object: try fields(of: data, file: file), prefix: ""))
    }

    /// The top-level fields of a config.json's bytes: the one place config.json text is parsed (the typed decode
    /// above, and the cross-checkpoint comparison, which must see every key, both read it through here).
    public static func fields(of data: Data, file: String) throws(LlamaError) -> [String: JSONValue] {
        let json: JSONValue
        do { json = try JSONParser.parse(data, file: file) } catch {
            throw LlamaError.unreadableConfig(file: file, reason: error.message)
        }
        guard let object = json.dictionaryValue else {
            throw LlamaError.unreadableConfig(file: file, reason: "top level is not a JSON object")
        }
        return object
    }

    static func parse(_ f: ConfigFields) throws -> LlamaConfig {
        let file = f.file
        guard let modelType = try f.string("model_type") else { throw LlamaError.missingField(file: file, field: "model_type") }
        guard modelType == "llama" else {
            throw LlamaError.unsupported(file: file, field: "model_type", reason: "'\(modelType)' is not supported (only 'llama')")
        }
        if case let .array(archs)? = f.raw("architectures"),
           !archs.contains(.string("LlamaForCausalLM")) {
            throw LlamaError.unsupported(file: file, field: "architectures", reason: "no 'LlamaForCausalLM' entry")
        }
        if let act = try f.string("hidden_act"), act != "silu" {
            throw LlamaError.unsupported(file: file, field: "hidden_act", reason: "'\(act)' is not supported (only 'silu')")
        }
        for biasField in ["attention_bias", "mlp_bias"] where try f.bool(biasField, default: false) {
            throw LlamaError.unsupported(file: file, field: biasField, reason: "biases are not supported")
        }
        let hidden = try f.positiveInt("hidden_size")
        let intermediate = try f.positiveInt("intermediate_size")
        let layers = try f.positiveInt("num_hidden_layers")
        let heads = try f.positiveInt("num_attention_heads")
        let vocab = try f.positiveInt("vocab_size")
        let kvHeads = try f.int("num_key_value_heads", default: heads)
        guard kvHeads > 0, heads % kvHeads == 0 else {
            throw LlamaError.invalidField(file: file, field: "num_key_value_heads",
                                          reason: "must divide num_attention_heads (\(heads)), found \(kvHeads)")
        }
        let headDim: Int
        if f.has("head_dim") {
            headDim = try f.int("head_dim")
        } else {
            guard hidden % heads == 0 else {
                throw LlamaError.invalidField(file: file, field: "hidden_size",
                                              reason: "\(hidden) is not a multiple of num_attention_heads (\(heads)) and no head_dim is given")
            }
            headDim = hidden / heads
        }
        guard headDim > 0, headDim % 2 == 0 else {
            throw LlamaError.invalidField(file: file, field: "head_dim", reason: "must be positive and even, found \(headDim)")
        }
        let eps = try f.double("rms_norm_eps", default: 1e-6)
        guard eps >= 0, eps.isFinite else {
            throw LlamaError.invalidField(file: file, field: "rms_norm_eps", reason: "must be a non-negative number")
        }
        let (theta, scaling) = try parseRope(f)
        let dtype = try f.string("dtype") ?? f.string("torch_dtype")
        return LlamaConfig(
            hiddenSize: hidden, intermediateSize: intermediate, numLayers: layers, numHeads: heads,
            numKVHeads: kvHeads, headDim: headDim, vocabSize: vocab, rmsNormEps: Float(eps), ropeTheta: theta,
            ropeScaling: scaling, tieWordEmbeddings: try f.bool("tie_word_embeddings", default: false),
            maxPositionEmbeddings: try f.int("max_position_embeddings", default: 2048),
            bosTokenId: try f.optionalId("bos_token_id", absent: 1),
            eosTokenIds: try f.intList("eos_token_id", absent: [2]), torchDtype: dtype)
    }

    /// 5.x: `rope_parameters {rope_theta, rope_type, ...}`; 4.x: `rope_theta` plus `rope_scaling` (null or a dict
    /// with `rope_type` or the older `type`).
    private static func parseRope(_ f: ConfigFields) throws -> (Double, Llama3RopeScaling?) {
        let theta: Double
        let params: ConfigFields?
        if let rp = try f.object("rope_parameters") {
            theta = try rp.has("rope_theta") ? rp.double("rope_theta") : f.double("rope_theta", default: 10000)
            params = rp
        } else {
            theta = try f.double("rope_theta", default: 10000)
            params = try f.object("rope_scaling")
        }
        guard theta > 0, theta.isFinite else {
            throw LlamaError.invalidField(file: f.file, field: "rope_theta", reason: "must be a positive number")
        }
        guard let p = params else { return (theta, nil) }
        let typeKey = p.has("rope_type") ? "rope_type" : "type"
        let ropeType = try p.string(typeKey) ?? "default"
        switch ropeType {
        case "default":
            return (theta, nil)
        case "llama3":
            let scaling = Llama3RopeScaling(
                factor: try p.double("factor"), lowFreqFactor: try p.double("low_freq_factor"),
                highFreqFactor: try p.double("high_freq_factor"),
                originalMaxPositionEmbeddings: try p.int("original_max_position_embeddings"))
            guard scaling.factor > 0, scaling.lowFreqFactor > 0, scaling.highFreqFactor > scaling.lowFreqFactor,
                  scaling.originalMaxPositionEmbeddings > 0 else {
                throw LlamaError.invalidField(file: f.file, field: p.prefix + "factor",
                                              reason: "llama3 scaling needs factor > 0, high_freq_factor > low_freq_factor > 0")
            }
            return (theta, scaling)
        default:
            throw LlamaError.unsupported(file: f.file, field: p.prefix + typeKey,
                                         reason: "RoPE type '\(ropeType)' is not supported (default and llama3 are)")
        }
    }

    /// A `config.json` object for this architecture that transformers 4.x and 5.x both load (4.x key names,
    /// explicit `head_dim`). Write it with `JSONWriter` (`sortKeys` for stable files).
    public func jsonValue() -> JSONValue {
        var o: [String: JSONValue] = [
            "architectures": ["LlamaForCausalLM"], "model_type": "llama",
            "hidden_size": .integer(hiddenSize), "intermediate_size": .integer(intermediateSize),
            "num_hidden_layers": .integer(numLayers), "num_attention_heads": .integer(numHeads),
            "num_key_value_heads": .integer(numKVHeads), "head_dim": .integer(headDim),
            "vocab_size": .integer(vocabSize), "rms_norm_eps": .number(Double(rmsNormEps)),
            "rope_theta": .number(ropeTheta), "tie_word_embeddings": .bool(tieWordEmbeddings),
            "max_position_embeddings": .integer(maxPositionEmbeddings), "hidden_act": "silu",
            "attention_bias": false, "mlp_bias": false, "attention_dropout": 0.0, "initializer_range": 0.02,
            "pretraining_tp": 1, "use_cache": true, "bos_token_id": bosTokenId.map(JSONValue.integer) ?? .null,
            "rope_scaling": .null,
        ]
        switch eosTokenIds.count {
        case 0: o["eos_token_id"] = .null
        case 1: o["eos_token_id"] = .integer(eosTokenIds[0])
        default: o["eos_token_id"] = .integers(eosTokenIds)
        }
        if let s = ropeScaling {
            o["rope_scaling"] = [
                "rope_type": "llama3", "factor": .number(s.factor), "low_freq_factor": .number(s.lowFreqFactor),
                "high_freq_factor": .number(s.highFreqFactor),
                "original_max_position_embeddings": .integer(s.originalMaxPositionEmbeddings),
            ]
        }
        if let d = torchDtype { o["torch_dtype"] = .string(d) }
        return .dictionary(o)
    }
}
