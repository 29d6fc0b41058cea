import Foundation
import SafeTensors

/// A `LlamaForCausalLM`: matrices in the checkpoint's storage dtype (computed in fp32), norms in fp32.
public final class LlamaModel: @unchecked Sendable {
    public let config: LlamaConfig
    let weights: LlamaWeights
    let inverseFrequencies: [Float]
    /// Rows (tokens over all sequences) one pass of the forward computes at once; longer inputs run in several
    /// passes over the KV cache. Bounds scratch memory; 512 rows already keep GEMM at full speed.
    var maxRowsPerPass = 512
    let workspaces = WorkspacePool()

    /// Loads and checks every tensor against `config` (errors name the tensor).
    public init(config: LlamaConfig, weights source: some WeightSource) throws {
        self.config = config
        weights = try LlamaWeights(config: config, source: source)
        inverseFrequencies = ropeInverseFrequencies(config)
    }

    /// A checkpoint folder: `config.json` plus `model.safetensors` or a sharded `model.safetensors.index.json`.
    public convenience init(directory: String) throws {
        let config = try LlamaConfig.load(path: (directory as NSString).appendingPathComponent("config.json"))
        let store = try WeightStore(directory: directory)
        try self.init(config: config, weights: store)
    }

    /// Number of parameters held (the LM head counted once when tied).
    public var parameterCount: Int {
        var n = weights.embedding.count + weights.finalNorm.count
        if !config.tieWordEmbeddings { n += weights.lmHead.count }
        for l in weights.layers {
            n += l.inputNorm.count + l.qkv.count + l.output.count + l.postNorm.count + l.gateUp.count + l.down.count
        }
        return n
    }

    /// Logits at every position of `tokens` (one row of `vocabSize` per position), as the `forward` command prints.
    public func logits(tokens: [Int]) throws -> [[Float]] {
        guard !tokens.isEmpty else { throw LlamaError.invalidRequest("forward: no token ids given") }
        let cache = makeCache(batch: 1, capacity: tokens.count)
        return try forward([SequenceChunk(sequence: 0, tokens: tokens)], cache: cache, logits: .all)
    }

    /// An empty cache for `batch` sequences of up to `capacity` positions each.
    public func makeCache(batch: Int, capacity: Int) -> KVCache {
        makeCache(capacities: [Int](repeating: capacity, count: batch))
    }

    /// An empty cache with a capacity per sequence.
    public func makeCache(capacities: [Int]) -> KVCache {
        KVCache(numLayers: config.numLayers, numKVHeads: config.numKVHeads, headDim: config.headDim,
                capacities: capacities)
    }
}
