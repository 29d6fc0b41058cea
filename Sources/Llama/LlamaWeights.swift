/// One decoder layer's weights in fp32. Q, K and V are stacked into one matrix and gate and up into another, so
/// each needs a single GEMM.
struct LayerWeights: @unchecked Sendable {
    let inputNorm: FloatStorage      // [hidden]
    let qkv: FloatStorage            // [(heads + 2·kvHeads)·headDim, hidden]
    let output: FloatStorage         // [hidden, heads·headDim]
    let postNorm: FloatStorage       // [hidden]
    let gateUp: FloatStorage         // [2·intermediate, hidden]
    let down: FloatStorage           // [hidden, intermediate]
}

/// All weights of a `LlamaForCausalLM`, converted once to fp32 and checked against the config.
struct LlamaWeights: @unchecked Sendable {
    let embedding: FloatStorage      // [vocab, hidden]
    let layers: [LayerWeights]
    let finalNorm: FloatStorage      // [hidden]
    /// `lm_head.weight`, or the embedding itself when tied (no copy).
    let lmHead: FloatStorage

    init(config c: LlamaConfig, source: some WeightSource) throws {
        let loader = TensorLoader(source: source)
        let h = c.hiddenSize, qDim = c.numHeads * c.headDim, kvDim = c.numKVHeads * c.headDim
        embedding = try loader.load("model.embed_tokens.weight", [c.vocabSize, h])
        var layers: [LayerWeights] = []
        for i in 0..<c.numLayers {
            let p = "model.layers.\(i)."
            layers.append(LayerWeights(
                inputNorm: try loader.load(p + "input_layernorm.weight", [h]),
                qkv: try loader.stack([(p + "self_attn.q_proj.weight", [qDim, h]),
                                       (p + "self_attn.k_proj.weight", [kvDim, h]),
                                       (p + "self_attn.v_proj.weight", [kvDim, h])]),
                output: try loader.load(p + "self_attn.o_proj.weight", [h, qDim]),
                postNorm: try loader.load(p + "post_attention_layernorm.weight", [h]),
                gateUp: try loader.stack([(p + "mlp.gate_proj.weight", [c.intermediateSize, h]),
                                          (p + "mlp.up_proj.weight", [c.intermediateSize, h])]),
                down: try loader.load(p + "mlp.down_proj.weight", [h, c.intermediateSize])))
        }
        self.layers = layers
        finalNorm = try loader.load("model.norm.weight", [h])
        // transformers ties whenever the config says so (a stored lm_head.weight is then ignored).
        if c.tieWordEmbeddings {
            lmHead = embedding
        } else {
            lmHead = try loader.load("lm_head.weight", [c.vocabSize, h])
        }
    }
}

/// Reads tensors from a source, checking each shape and naming the tensor in every error.
private struct TensorLoader<Source: WeightSource> {
    let source: Source

    func check(_ name: String, _ shape: [Int]) throws {
        guard source.contains(name) else {
            throw LlamaError.missingTensor(name: name, source: source.sourceDescription)
        }
        let info = try source.info(name)
        guard info.shape == shape else { throw LlamaError.shapeMismatch(name: name, expected: shape, found: info.shape) }
    }

    func load(_ name: String, _ shape: [Int]) throws -> FloatStorage {
        try stack([(name, shape)])
    }

    /// Row-stacks several `[rows_i, cols]` tensors into one buffer, converting each straight into place.
    func stack(_ parts: [(String, [Int])]) throws -> FloatStorage {
        for (name, shape) in parts { try check(name, shape) }
        let total = parts.reduce(0) { $0 + $1.1.reduce(1, *) }
        let out = FloatStorage(count: total)
        var offset = 0
        for (name, shape) in parts {
            let n = shape.reduce(1, *)
            try source.copyFloatsReleasing(name, into: UnsafeMutableBufferPointer(start: out.pointer + offset, count: n))
            offset += n
        }
        return out
    }
}
