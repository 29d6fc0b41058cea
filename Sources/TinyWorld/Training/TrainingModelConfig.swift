import Foundation
import JSON

/// Dimensions of the LLaMA the trainer builds: the same architecture Kasane's `LlamaModel` loads
/// (pre-norm RMSNorm, half-split RoPE, MHA/GQA, SwiGLU, untied `lm_head`, no biases).
public struct TrainingModelConfig: Sendable, Equatable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numLayers: Int
    public var numHeads: Int
    public var numKVHeads: Int
    public var headDim: Int
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Float
    public var ropeTheta: Double
    public var initializerRange: Float
    public var bosTokenId: Int
    public var eosTokenId: Int

    public init(hiddenSize: Int, intermediateSize: Int, numLayers: Int, numHeads: Int, numKVHeads: Int,
                headDim: Int? = nil, vocabSize: Int, maxPositionEmbeddings: Int, rmsNormEps: Float = 1e-5,
                ropeTheta: Double = 10000, initializerRange: Float = 0.02, bosTokenId: Int = 1, eosTokenId: Int = 2) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numLayers = numLayers
        self.numHeads = numHeads
        self.numKVHeads = numKVHeads
        self.headDim = headDim ?? (numHeads > 0 ? hiddenSize / numHeads : 0)
        self.vocabSize = vocabSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.initializerRange = initializerRange
        self.bosTokenId = bosTokenId
        self.eosTokenId = eosTokenId
    }

    public var qDim: Int { numHeads * headDim }
    public var kvDim: Int { numKVHeads * headDim }

    /// Returns the name of the first invalid field, with the reason, or nil when the shape is trainable.
    public func validationProblem() -> (field: String, reason: String)? {
        if hiddenSize <= 0 { return ("hidden_size", "must be positive") }
        if intermediateSize <= 0 { return ("intermediate_size", "must be positive") }
        if numLayers <= 0 { return ("num_hidden_layers", "must be positive") }
        if numHeads <= 0 { return ("num_attention_heads", "must be positive") }
        if numKVHeads <= 0 || numHeads % numKVHeads != 0 {
            return ("num_key_value_heads", "must divide num_attention_heads (\(numHeads)), found \(numKVHeads)")
        }
        if headDim <= 0 || headDim % 2 != 0 { return ("head_dim", "must be positive and even, found \(headDim)") }
        if vocabSize <= 0 { return ("vocab_size", "must be positive") }
        if maxPositionEmbeddings <= 0 { return ("max_position_embeddings", "must be positive") }
        if !(rmsNormEps > 0) { return ("rms_norm_eps", "must be positive") }
        if !(ropeTheta > 0) { return ("rope_theta", "must be positive") }
        if !(initializerRange > 0) { return ("initializer_range", "must be positive") }
        return nil
    }

    /// `config.json` in the style of LLM-jp-3's (transformers `LlamaForCausalLM`), with `head_dim` as newer
    /// transformers write it.
    public func hfConfig() -> JSONValue {
        [
            "_name_or_path": "kasane-tiny-world",
            "architectures": ["LlamaForCausalLM"],
            "attention_bias": false,
            "attention_dropout": 0.0,
            "bos_token_id": .integer(bosTokenId),
            "eos_token_id": .integer(eosTokenId),
            "head_dim": .integer(headDim),
            "hidden_act": "silu",
            "hidden_size": .integer(hiddenSize),
            "initializer_range": .number(Double(initializerRange)),
            "intermediate_size": .integer(intermediateSize),
            "max_position_embeddings": .integer(maxPositionEmbeddings),
            "mlp_bias": false,
            "model_type": "llama",
            "num_attention_heads": .integer(numHeads),
            "num_hidden_layers": .integer(numLayers),
            "num_key_value_heads": .integer(numKVHeads),
            "pretraining_tp": 1,
            "rms_norm_eps": .number(Double(rmsNormEps)),
            "rope_scaling": nil,
            "rope_theta": .number(ropeTheta),
            "tie_word_embeddings": false,
            "torch_dtype": "bfloat16",
            "transformers_version": "4.43.3",
            "use_cache": true,
            "vocab_size": .integer(vocabSize),
        ]
    }
}
