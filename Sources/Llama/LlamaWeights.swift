import Linalg
import SafeTensors

/// One decoder layer's weights. Q, K and V are stacked into one matrix and gate and up into another, so each needs
/// a single GEMM; matrices stay in the checkpoint's dtype, norm vectors are fp32.
struct LayerWeights: @unchecked Sendable {
    let inputNorm: FloatStorage      // [hidden]
    let qkv: WeightMatrix            // [(heads + 2·kvHeads)·headDim, hidden]
    let output: WeightMatrix         // [hidden, heads·headDim]
    let postNorm: FloatStorage       // [hidden]
    let gateUp: WeightMatrix         // [2·intermediate, hidden]
    let down: WeightMatrix           // [hidden, intermediate]
}

/// All weights of a `LlamaForCausalLM`, checked against the config. BF16/F16/F32 matrices of a checkpoint folder
/// are used where they lie in the mapped files (no fp32 copy); other sources are copied once to fp32.
struct LlamaWeights: @unchecked Sendable {
    let embedding: WeightMatrix      // [vocab, hidden]
    let layers: [LayerWeights]
    let finalNorm: FloatStorage      // [hidden]
    /// `lm_head.weight`, or the embedding itself when tied (no copy).
    let lmHead: WeightMatrix

    init(config c: LlamaConfig, source: some WeightSource) throws {
        let loader = TensorLoader(source: source)
        let h = c.hiddenSize, qDim = c.numHeads * c.headDim, kvDim = c.numKVHeads * c.headDim
        // A lookup table reads a few rows per token: mapped up front only when it is the LM head too.
        embedding = try loader.matrix([("model.embed_tokens.weight", [c.vocabSize, h])], populate: c.tieWordEmbeddings)
        var layers: [LayerWeights] = []
        for i in 0..<c.numLayers {
            let p = "model.layers.\(i)."
            layers.append(LayerWeights(
                inputNorm: try loader.vector(p + "input_layernorm.weight", h),
                qkv: try loader.matrix([(p + "self_attn.q_proj.weight", [qDim, h]),
                                        (p + "self_attn.k_proj.weight", [kvDim, h]),
                                        (p + "self_attn.v_proj.weight", [kvDim, h])]),
                output: try loader.matrix([(p + "self_attn.o_proj.weight", [h, qDim])]),
                postNorm: try loader.vector(p + "post_attention_layernorm.weight", h),
                gateUp: try loader.matrix([(p + "mlp.gate_proj.weight", [c.intermediateSize, h]),
                                           (p + "mlp.up_proj.weight", [c.intermediateSize, h])]),
                down: try loader.matrix([(p + "mlp.down_proj.weight", [h, c.intermediateSize])])))
        }
        self.layers = layers
        finalNorm = try loader.vector("model.norm.weight", h)
        // transformers ties whenever the config says so (a stored lm_head.weight is then ignored).
        if c.tieWordEmbeddings {
            lmHead = embedding
        } else {
            lmHead = try loader.matrix([("lm_head.weight", [c.vocabSize, h])])
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

    /// A norm vector, in fp32.
    func vector(_ name: String, _ count: Int) throws -> FloatStorage {
        try check(name, [count])
        let out = FloatStorage(count: count)
        try source.copyFloatsReleasing(name, into: out.buffer)
        return out
    }

    /// The row-stack of several `[rows_i, cols]` tensors: in place in the source's memory when it offers its stored
    /// bytes (one dtype, element-aligned), mapped up front when `populate` (see `prefetch`), else one owned fp32 copy.
    func matrix(_ parts: [(String, [Int])], populate: Bool = true) throws -> WeightMatrix {
        for (name, shape) in parts { try check(name, shape) }
        let cols = parts[0].1[1]
        if let mapped = try inPlace(parts, cols: cols, populate: populate) { return mapped }
        let total = parts.reduce(0) { $0 + $1.1.reduce(1, *) }
        let storage = OwnedBytes(byteCount: 4 * total)
        let floats = storage.pointer.bindMemory(to: Float.self, capacity: total)
        var offset = 0
        for (name, shape) in parts {
            let n = shape.reduce(1, *)
            try source.copyFloatsReleasing(name, into: UnsafeMutableBufferPointer(start: floats + offset, count: n))
            offset += n
        }
        return WeightMatrix(dtype: .f32, cols: cols,
                            blocks: [WeightMatrix.Block(base: UnsafeRawPointer(floats), rows: total / max(cols, 1))],
                            owner: storage)
    }

    private func inPlace(_ parts: [(String, [Int])], cols: Int, populate: Bool) throws -> WeightMatrix? {
        var blocks: [WeightMatrix.Block] = []
        var owners: [AnyObject] = []
        var dtype: WeightDType?
        for (name, shape) in parts {
            guard let stored = try source.storedTensor(name), let base = stored.bytes.baseAddress else { return nil }
            let d = WeightDType(stored.info.dtype)
            guard dtype == nil || dtype == d, Int(bitPattern: base) % d.byteSize == 0 else { return nil }
            dtype = d
            blocks.append(WeightMatrix.Block(base: base, rows: shape[0]))
            owners.append(stored.owner)
        }
        guard let dtype else { return nil }
        if populate { for (name, _) in parts { try source.storedTensor(name).map { prefetch($0.bytes) } } }
        return WeightMatrix(dtype: dtype, cols: cols, blocks: blocks, owner: KeepAlive(owners))
    }
}

extension WeightDType {
    init(_ d: DType) {
        switch d {
        case .f32: self = .f32
        case .bf16: self = .bf16
        case .f16: self = .f16
        }
    }
}

/// Holds the files a matrix's blocks point into.
private final class KeepAlive {
    let objects: [AnyObject]
    init(_ objects: [AnyObject]) { self.objects = objects }
}
