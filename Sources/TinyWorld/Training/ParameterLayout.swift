/// One named parameter tensor inside the trainer's flat parameter buffer.
public struct ParameterTensor: Sendable, Equatable {
    public let name: String          // Hugging Face name, e.g. "model.layers.0.self_attn.q_proj.weight"
    public let shape: [Int]          // [out, in] for linear layers, as HF stores them
    public let offset: Int           // first element in the flat buffer
    public var count: Int { shape.reduce(1, *) }
    public var isNorm: Bool { shape.count == 1 }   // RMSNorm weights: initialised to 1, no weight decay
}

/// Where each tensor lives in one flat Float buffer. Parameters, gradients and both AdamW moments share this layout,
/// so clipping, the optimiser step and checkpoint writing are plain loops over contiguous memory.
public struct ParameterLayout: Sendable {
    public struct Layer: Sendable {
        public let inputNorm, q, k, v, o, postNorm, gate, up, down: ParameterTensor
    }
    public let config: TrainingModelConfig
    public let embed: ParameterTensor
    public let layers: [Layer]
    public let finalNorm: ParameterTensor
    public let lmHead: ParameterTensor
    public let tensors: [ParameterTensor]     // in the order they sit in the buffer
    public let totalCount: Int

    public init(config c: TrainingModelConfig) {
        var all: [ParameterTensor] = []
        var offset = 0
        func add(_ name: String, _ shape: [Int]) -> ParameterTensor {
            let t = ParameterTensor(name: name, shape: shape, offset: offset)
            offset += t.count
            all.append(t)
            return t
        }
        config = c
        embed = add("model.embed_tokens.weight", [c.vocabSize, c.hiddenSize])
        var built: [Layer] = []
        for i in 0..<c.numLayers {
            let p = "model.layers.\(i)."
            built.append(Layer(
                inputNorm: add(p + "input_layernorm.weight", [c.hiddenSize]),
                q: add(p + "self_attn.q_proj.weight", [c.qDim, c.hiddenSize]),
                k: add(p + "self_attn.k_proj.weight", [c.kvDim, c.hiddenSize]),
                v: add(p + "self_attn.v_proj.weight", [c.kvDim, c.hiddenSize]),
                o: add(p + "self_attn.o_proj.weight", [c.hiddenSize, c.qDim]),
                postNorm: add(p + "post_attention_layernorm.weight", [c.hiddenSize]),
                gate: add(p + "mlp.gate_proj.weight", [c.intermediateSize, c.hiddenSize]),
                up: add(p + "mlp.up_proj.weight", [c.intermediateSize, c.hiddenSize]),
                down: add(p + "mlp.down_proj.weight", [c.hiddenSize, c.intermediateSize])))
        }
        layers = built
        finalNorm = add("model.norm.weight", [c.hiddenSize])
        lmHead = add("lm_head.weight", [c.vocabSize, c.hiddenSize])
        tensors = all
        totalCount = offset
    }
}
