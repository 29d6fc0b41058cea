import Foundation
import Linalg
import Testing
@testable import TinyWorld

/// The hand-written backward pass against central finite differences of the fp32 forward pass, for every kind of
/// parameter tensor, on a tiny GQA config. fp32 loss noise is ~1e-7, so steps of 1e-2 keep the difference quotient
/// accurate to ~1e-5 while second-order error stays ~1e-4 of the gradient scale.
@Suite struct TrainerGradientTests {
    static let config = TrainingModelConfig(hiddenSize: 16, intermediateSize: 24, numLayers: 2, numHeads: 4,
                                            numKVHeads: 2, vocabSize: 23, maxPositionEmbeddings: 8,
                                            initializerRange: 0.3)

    static func makeModel() throws -> (TrainingModel, [Int], [Int]) {
        let model = TrainingModel(config: config, batch: 2, seqLen: 6, workers: 2)
        model.initialize(seed: 7)
        var rng = SeededRandom(seed: 99)
        // Norm weights away from 1 so their gradients are generic.
        for t in model.layout.tensors where t.isNorm {
            for i in 0..<t.count { model.params[t.offset + i] = Float(1 + 0.3 * rng.nextGaussian()) }
        }
        let tokens = (0..<12).map { _ in Int(rng.next() % 23) }
        let targets = (0..<12).map { _ in Int(rng.next() % 23) }
        return (model, tokens, targets)
    }

    static func loss(_ model: TrainingModel, _ tokens: [Int], _ targets: [Int]) throws -> Double {
        try model.forward(tokens: tokens, targets: targets) ?? .nan
    }

    @Test func lossAtInitIsNearLogVocab() throws {
        let c = TrainingModelConfig(hiddenSize: 16, intermediateSize: 24, numLayers: 2, numHeads: 4, numKVHeads: 2,
                                    vocabSize: 23, maxPositionEmbeddings: 8)
        let model = TrainingModel(config: c, batch: 2, seqLen: 6, workers: 2)
        model.initialize(seed: 1)
        let loss = try #require(try model.forward(tokens: Array(0..<12), targets: Array(1..<13)))
        #expect(abs(loss - log(23.0)) < 0.05)
    }

    @Test func everyTensorKindMatchesFiniteDifferences() throws {
        let (model, tokens, targets) = try Self.makeModel()
        model.zeroGradients()
        _ = try Self.loss(model, tokens, targets)
        model.backward()
        let grads = Array(model.grads)
        let eps: Float = 1e-2
        // One representative of each tensor kind (layer 0 and the last layer for the per-layer kinds).
        let names = ["model.embed_tokens.weight", "model.norm.weight", "lm_head.weight"] + [0, 1].flatMap { i in
            ["input_layernorm", "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
             "post_attention_layernorm", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]
                .map { "model.layers.\(i).\($0).weight" }
        }
        for name in names {
            let t = try #require(model.layout.tensors.first { $0.name == name })
            let g = Array(grads[t.offset..<(t.offset + t.count)])
            let norm = g.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(norm > 1e-4, "\(name): gradient vanishes, the check would be empty")

            // Directional derivative along the gradient: (L(p + εu) − L(p − εu)) / 2ε ≈ |g| for u = g/|g|.
            let saved = Array(model.params[t.offset..<(t.offset + t.count)])
            func setShifted(_ s: Float) {
                for i in 0..<t.count { model.params[t.offset + i] = saved[i] + s * Float(Double(g[i]) / norm) }
            }
            setShifted(eps); let up = try Self.loss(model, tokens, targets)
            setShifted(-eps); let down = try Self.loss(model, tokens, targets)
            setShifted(0)
            let directional = (up - down) / (2 * Double(eps))
            #expect(abs(directional - norm) <= 1e-2 * norm, "\(name): directional \(directional) vs |g| \(norm)")

            // The three largest single entries.
            let top = g.indices.sorted { abs(g[$0]) > abs(g[$1]) }.prefix(3)
            for i in top {
                let p = t.offset + i
                model.params[p] = saved[i] + eps; let lp = try Self.loss(model, tokens, targets)
                model.params[p] = saved[i] - eps; let lm = try Self.loss(model, tokens, targets)
                model.params[p] = saved[i]
                let fd = (lp - lm) / (2 * Double(eps))
                #expect(abs(fd - Double(g[i])) <= 2e-2 * abs(Double(g[i])) + 1e-5,
                        "\(name)[\(i)]: finite difference \(fd) vs backward \(g[i])")
            }
        }
    }
}
