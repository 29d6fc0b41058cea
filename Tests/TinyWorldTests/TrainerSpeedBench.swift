import Foundation
import Linalg
import Testing
@testable import TinyWorld

/// Throughput of the default tiny-world shape on random tokens. Opt-in (a benchmark, not a test):
/// `KASANE_TRAINER_BENCH=1 swift test -c release --filter TrainerSpeedBench`.
@Suite struct TrainerSpeedBench {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KASANE_TRAINER_BENCH"] != nil))
    func defaultShapeTokensPerSecond() throws {
        let env = ProcessInfo.processInfo.environment
        let d = Int(env["BENCH_HIDDEN"] ?? "") ?? 128, f = Int(env["BENCH_FFN"] ?? "") ?? 352
        let layers = Int(env["BENCH_LAYERS"] ?? "") ?? 4, vocab = Int(env["BENCH_VOCAB"] ?? "") ?? 3072
        let seq = Int(env["BENCH_SEQ"] ?? "") ?? 256, batch = Int(env["BENCH_BATCH"] ?? "") ?? 16
        let config = TrainingModelConfig(hiddenSize: d, intermediateSize: f, numLayers: layers, numHeads: 4,
                                         numKVHeads: 4, vocabSize: vocab, maxPositionEmbeddings: seq)
        let model = TrainingModel(config: config, batch: batch, seqLen: seq)
        model.initialize(seed: 1)
        let opt = AdamW(layout: model.layout, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1)
        var rng = SeededRandom(seed: 3)
        let tokens = (0..<(batch * seq)).map { _ in Int(rng.next() % UInt64(vocab)) }
        let steps = 6
        var fwd = 0.0, bwd = 0.0, upd = 0.0
        for s in 0...steps {
            let t0 = Date()
            model.zeroGradients()
            _ = try model.forward(tokens: tokens, targets: tokens)
            let t1 = Date()
            model.backward()
            let t2 = Date()
            clipGradients(model.grads, maxNorm: 1)
            opt.step(params: model.params, grads: model.grads, lr: 1e-3)
            let t3 = Date()
            if s > 0 { fwd += t1.timeIntervalSince(t0); bwd += t2.timeIntervalSince(t1); upd += t3.timeIntervalSince(t2) }
        }
        let total = fwd + bwd + upd
        let tps = Double(steps * batch * seq) / total
        print(String(format: "trainer bench: %d params, %d tok/step: %.0f tokens/s (forward %.0f ms, backward %.0f ms, update %.0f ms per step)",
                     model.layout.totalCount, batch * seq, tps, fwd / Double(steps) * 1000, bwd / Double(steps) * 1000,
                     upd / Double(steps) * 1000))
        #expect(tps > 0)
    }
}
