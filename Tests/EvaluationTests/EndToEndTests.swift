import Foundation
import JSON
import Llama
import SafeTensors
import Testing
import Tokenizers
@testable import Evaluation

/// End to end on evalsets-real with a deterministic random LLaMA (vocab 99,584 so the LLM-jp v3 tokenizer fits)
/// and the real LLM-jp v3 tokenizer.
@Suite(.serialized) struct EndToEndTests {
    /// Writes a seeded random checkpoint (tiny hidden size, LLM-jp v3 vocabulary) into `dir`.
    static func makeModel(in dir: String, vocab: Int = 99_584) throws {
        let config = LlamaConfig(hiddenSize: 32, intermediateSize: 64, numLayers: 2, numHeads: 4, numKVHeads: 2, headDim: 8,
                                 vocabSize: vocab, tieWordEmbeddings: false, bosTokenId: 1, eosTokenIds: [2])
        try Data(JSONWriter.string(config.jsonValue(), sortKeys: true).utf8).write(to: URL(fileURLWithPath: dir + "/config.json"))
        var shapes: [(String, [Int], Float)] = [("model.embed_tokens.weight", [vocab, 32], 1.0),
                                               ("model.norm.weight", [32], 0), ("lm_head.weight", [vocab, 32], 0.5)]
        for l in 0..<2 {
            let p = "model.layers.\(l)."
            shapes += [(p + "input_layernorm.weight", [32], 0), (p + "post_attention_layernorm.weight", [32], 0),
                       (p + "self_attn.q_proj.weight", [32, 32], 0.3), (p + "self_attn.k_proj.weight", [16, 32], 0.3),
                       (p + "self_attn.v_proj.weight", [16, 32], 0.3), (p + "self_attn.o_proj.weight", [32, 32], 0.3),
                       (p + "mlp.gate_proj.weight", [64, 32], 0.3), (p + "mlp.up_proj.weight", [64, 32], 0.3),
                       (p + "mlp.down_proj.weight", [32, 64], 0.3)]
        }
        var state: UInt64 = 0x9E3779B97F4A7C15
        func uniform() -> Float {   // splitmix64 → [-1, 1)
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            z ^= z >> 31
            return Float(z >> 40) / Float(1 << 23) - 1
        }
        var tensors: [(info: TensorInfo, values: [Float])] = []
        for (name, shape, scale) in shapes {
            let count = shape.reduce(1, *)
            var values = [Float](repeating: 1, count: count)
            if scale != 0 { for i in 0..<count { values[i] = uniform() * scale } }
            tensors.append((TensorInfo(name: name, dtype: .f32, shape: shape), values))
        }
        try SafeTensorsWriter.write(path: dir + "/model.safetensors", tensors: tensors)
    }

    /// Records of every dataset, in suite order.
    func run(_ model: LlamaModel, _ tokenizer: Tokenizer, datasets: [EvalDataset], batch: Int, prefix: Bool,
             logprobs: Bool = true) throws -> [PredictionRecord] {
        var options = EvalOptions()
        options.batchSize = batch
        options.usePrefixCache = prefix
        options.logprobs = logprobs
        let evaluator = Evaluator(generator: try LlamaGenerator(model: model, tokenizer: tokenizer), options: options)
        return try datasets.flatMap { try evaluator.run($0) }
    }

    /// The random model, the LLM-jp v3 tokenizer and the evalsets-real suite under `options` (nil without shared/).
    static func realSetup(_ options: EvalOptions) throws -> (LlamaModel, Tokenizer, [EvalDataset])? {
        guard let root = TestPaths.evalsetsReal, let tokPath = TestPaths.llmJpTokenizer else {
            Issue.record("shared/ not found"); return nil
        }
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.makeModel(in: dir)
        return (try LlamaModel(directory: dir), try Tokenizer.load(path: tokPath), try loadEvalSuite(root: root, options: options))
    }

    @Test func evalsetsRealEndToEnd() throws {
        var options = EvalOptions()
        options.maxSamples = 4
        guard let (model, tokenizer, datasets) = try Self.realSetup(options) else { return }

        let fast = try run(model, tokenizer, datasets: datasets, batch: 8, prefix: true)
        let slow = try run(model, tokenizer, datasets: datasets, batch: 1, prefix: false)
        let mixed = try run(model, tokenizer, datasets: datasets, batch: 1, prefix: true)
        #expect(fast.count == 32)
        #expect(fast.map(\.generated) == slow.map(\.generated))
        #expect(mixed.map(\.generated) == slow.map(\.generated))
        // Log-probs agree up to float rounding (batch composition changes GEMM row counts); the rest exactly.
        #expect(fast.map(\.withoutLogprobs) == slow.map(\.withoutLogprobs))
        for (a, b) in zip(fast, slow) {
            let x = try #require(a.logprobs), y = try #require(b.logprobs)
            #expect(x.goldTokens == y.goldTokens && x.predictionTokens == y.predictionTokens)
            #expect(abs(x.gold - y.gold) <= 1e-4 * (1 + abs(y.gold)) && abs(x.prediction - y.prediction) <= 1e-4 * (1 + abs(y.prediction)))
            #expect(x.predictionTokens > 0 && x.gold < 0 && x.prediction <= 0)
        }
        // Without log-probs: the same predictions, and the values absent rather than made up.
        let unscored = try run(model, tokenizer, datasets: datasets, batch: 8, prefix: true, logprobs: false)
        #expect(unscored == fast.map(\.withoutLogprobs))
        #expect(Set(fast.map(\.generated)).count > 3, "the random model should not answer everything alike")

        // Prompts equal the reference rendering; prompt token counts are the tokenizer's, without BOS.
        let evaluator = Evaluator(generator: try LlamaGenerator(model: model, tokenizer: tokenizer), options: EvalOptions())
        let reference = try TestPaths.fixture("prompts.json")["default"] as? [[String: Any]] ?? []
        var checked = 0
        for c in reference where (c["shots"] as? Int) == 4 && (c["index"] as? Int ?? 99) < 4 {
            let d = try #require(datasets.firstIndex { $0.name == c["dataset"] as? String })
            let index = try #require(c["index"] as? Int)
            let prompt = try evaluator.prompts(for: datasets[d])[index]
            #expect(PythonText.equal(prompt, c["prompt"] as? String ?? ""))
            let r = fast[d * 4 + index]
            #expect(r.index == index && r.promptHash == SHA256.hex(prompt))
            let ids = try tokenizer.encode(prompt, addSpecialTokens: false)
            #expect(r.promptTokens == ids.count && ids.first != tokenizer.bosTokenId)
            checked += 1
        }
        #expect(checked == 16)
    }

    /// Datasets batched together (a finished sequence replaced by the next dataset's prompt, each dataset with its
    /// own prefix) give the records of one dataset at a time; each dataset is reported done once, with its counts,
    /// and the datasets' seconds add up to no more than the wall time.
    @Test func datasetsBatchedTogetherMatchOneAtATime() throws {
        var options = EvalOptions()
        options.maxSamples = 5
        options.batchSize = 4   // fewer slots than a dataset's samples, so datasets overlap in the batch
        guard let (model, tokenizer, datasets) = try Self.realSetup(options) else { return }
        let oneAtATime = try run(model, tokenizer, datasets: datasets, batch: 4, prefix: true)

        let evaluator = Evaluator(generator: try LlamaGenerator(model: model, tokenizer: tokenizer), options: options)
        var records = [[PredictionRecord]](repeating: [], count: datasets.count)
        var done: [Int: DatasetPass] = [:]
        let started = Date()
        try evaluator.run(datasets.map { DatasetWork($0, skip: [1]) }, onBatch: { d, batch in
            #expect(done[d] == nil, "a batch of \(datasets[d].name) after it was done")
            records[d] += batch
        }, onDone: { d, pass in
            #expect(done[d] == nil)
            done[d] = pass
        })
        let wall = Date().timeIntervalSince(started)
        #expect(records.flatMap { $0.sorted { $0.index < $1.index } } == oneAtATime.filter { $0.index != 1 })
        #expect(done.count == datasets.count)
        for d in datasets.indices {
            let generated = records[d].reduce(0) { $0 + $1.logprobs!.predictionTokens }
            #expect(done[d]?.counters.samples == 4 && done[d]?.counters.generatedTokens == generated)
        }
        #expect(done.values.reduce(0) { $0 + $1.seconds } <= wall)
    }

    @Test func tokenizerLargerThanModelIsRejected() throws {
        guard let tokPath = TestPaths.llmJpTokenizer else { Issue.record("shared/ not found"); return }
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.makeModel(in: dir, vocab: 1000)
        let model = try LlamaModel(directory: dir)
        let tokenizer = try Tokenizer.load(path: tokPath)
        #expect(throws: EvaluationError.vocabularyMismatch(tokenizerVocab: tokenizer.vocabSize, modelVocab: 1000)) {
            _ = try LlamaGenerator(model: model, tokenizer: tokenizer)
        }
    }
}

extension PredictionRecord {
    var withoutLogprobs: PredictionRecord {
        var copy = self
        copy.logprobs = nil
        return copy
    }
}
