import Foundation
import Linalg

/// A LLaMA being trained: flat fp32 parameters and gradients, plus every activation of one batch
/// ([batch, seqLen] tokens) saved by `forward` for the hand-written `backward`.
public final class TrainingModel: @unchecked Sendable {
    public let layout: ParameterLayout
    public var config: TrainingModelConfig { layout.config }
    public let batch: Int
    public let seqLen: Int
    let workers: Int

    /// Parameters and their gradients, both in `layout` order.
    public let params: UnsafeMutableBufferPointer<Float>
    public let grads: UnsafeMutableBufferPointer<Float>

    struct LayerActivations {
        let x: UnsafeMutableBufferPointer<Float>         // [N, D] layer input (residual stream)
        let rstd1: UnsafeMutableBufferPointer<Float>     // [N]
        let xn1: UnsafeMutableBufferPointer<Float>       // [N, D] input_layernorm output
        let qkv: UnsafeMutableBufferPointer<Float>       // [N, Q + 2·KVd], q and k after RoPE
        let probs: UnsafeMutableBufferPointer<Float>     // [B, H, T, T]
        let attn: UnsafeMutableBufferPointer<Float>      // [N, Q] attention output before o_proj
        let xMid: UnsafeMutableBufferPointer<Float>      // [N, D] after the attention residual
        let rstd2: UnsafeMutableBufferPointer<Float>     // [N]
        let xn2: UnsafeMutableBufferPointer<Float>       // [N, D] post_attention_layernorm output
        let gateUp: UnsafeMutableBufferPointer<Float>    // [N, 2F]
        let h: UnsafeMutableBufferPointer<Float>         // [N, F] silu(gate) ⊙ up
    }
    let acts: [LayerActivations]
    let xFinal: UnsafeMutableBufferPointer<Float>        // [N, D] output of the last layer
    let rstdF: UnsafeMutableBufferPointer<Float>
    let xnF: UnsafeMutableBufferPointer<Float>           // [N, D] after model.norm
    /// [N, V] logits after `forward`; after `forward(targets:)` they hold d(loss)/d(logits) instead.
    public let logits: UnsafeMutableBufferPointer<Float>
    let rowLoss: UnsafeMutableBufferPointer<Float>       // [N]
    let tokens: UnsafeMutableBufferPointer<Int32>        // [N]
    let targets: UnsafeMutableBufferPointer<Int32>       // [N]
    let ropeCos: [Float], ropeSin: [Float]

    // Backward scratch.
    let dx: UnsafeMutableBufferPointer<Float>            // [N, D] gradient of the residual stream
    let dxn: UnsafeMutableBufferPointer<Float>           // [N, D]
    let dqkv: UnsafeMutableBufferPointer<Float>          // [N, Q + 2·KVd]
    let dAttn: UnsafeMutableBufferPointer<Float>         // [N, Q]
    let dGateUp: UnsafeMutableBufferPointer<Float>       // [N, 2F]
    let dh: UnsafeMutableBufferPointer<Float>            // [N, F]
    let dProbs: UnsafeMutableBufferPointer<Float>        // [B, H, T, T]
    private var owned: [UnsafeMutableBufferPointer<Float>] = []

    public var rows: Int { batch * seqLen }
    var attentionShape: AttentionShape {
        AttentionShape(batch: batch, seqLen: seqLen, heads: config.numHeads, kvHeads: config.numKVHeads,
                       headDim: config.headDim)
    }

    public init(config c: TrainingModelConfig, batch: Int, seqLen: Int,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        precondition(c.validationProblem() == nil && batch > 0 && seqLen > 0, "validated by the caller")
        layout = ParameterLayout(config: c)
        self.batch = batch
        self.seqLen = seqLen
        self.workers = max(1, workers)
        let n = batch * seqLen, d = c.hiddenSize, f = c.intermediateSize
        let qkvWidth = c.qDim + 2 * c.kvDim
        var owned: [UnsafeMutableBufferPointer<Float>] = []
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = FloatArena.allocate(count)
            owned.append(b)
            return b
        }
        params = buffer(layout.totalCount)
        grads = buffer(layout.totalCount)
        acts = (0..<c.numLayers).map { _ in
            LayerActivations(x: buffer(n * d), rstd1: buffer(n), xn1: buffer(n * d), qkv: buffer(n * qkvWidth),
                             probs: buffer(batch * c.numHeads * seqLen * seqLen), attn: buffer(n * c.qDim),
                             xMid: buffer(n * d), rstd2: buffer(n), xn2: buffer(n * d), gateUp: buffer(n * 2 * f),
                             h: buffer(n * f))
        }
        xFinal = buffer(n * d)
        rstdF = buffer(n)
        xnF = buffer(n * d)
        logits = buffer(n * c.vocabSize)
        rowLoss = buffer(n)
        dx = buffer(n * d)
        dxn = buffer(n * d)
        dqkv = buffer(n * qkvWidth)
        dAttn = buffer(n * c.qDim)
        dGateUp = buffer(n * 2 * f)
        dh = buffer(n * f)
        dProbs = buffer(batch * c.numHeads * seqLen * seqLen)
        tokens = .allocate(capacity: n)
        tokens.initialize(repeating: 0)
        targets = .allocate(capacity: n)
        targets.initialize(repeating: 0)
        (ropeCos, ropeSin) = ropeTables(seqLen: seqLen, headDim: c.headDim, theta: c.ropeTheta)
        self.owned = owned
    }

    deinit {
        for b in owned { b.deallocate() }
        tokens.deallocate()
        targets.deallocate()
    }

    /// Initialises like HF `LlamaPreTrainedModel._init_weights`: every matrix ~ N(0, initializer_range²),
    /// norm weights 1. Deterministic in `seed`.
    public func initialize(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let std = Double(config.initializerRange)
        for t in layout.tensors {
            let p = params.baseAddress! + t.offset
            if t.isNorm {
                for i in 0..<t.count { p[i] = 1 }
            } else {
                for i in 0..<t.count { p[i] = Float(rng.nextGaussian() * std) }
            }
        }
    }

    /// Copies parameters in (e.g. from a checkpoint); `values` must have `layout.totalCount` elements.
    public func setParameters(_ values: [Float]) {
        precondition(values.count == layout.totalCount)
        _ = values.withUnsafeBufferPointer { params.update(fromContentsOf: $0) }
    }

    func pointer(_ t: ParameterTensor) -> UnsafeMutablePointer<Float> { params.baseAddress! + t.offset }
    func gradPointer(_ t: ParameterTensor) -> UnsafeMutablePointer<Float> { grads.baseAddress! + t.offset }
}
