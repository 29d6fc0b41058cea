import Testing
@testable import Llama
import SafeTensors

@Suite struct BadWeightsTests {
    let name = "mha-f32-untied-4x"

    @Test func shapeMismatchNamesTheTensor() throws {
        var weights = try Fixtures.inMemory(name)
        weights.set("model.layers.1.mlp.up_proj.weight", shape: [128, 64], values: [Float](repeating: 0, count: 128 * 64))
        let config = try LlamaConfig.load(path: Fixtures.directory(name))
        do {
            _ = try LlamaModel(config: config, weights: weights)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("model.layers.1.mlp.up_proj.weight") && "\(error)".contains("[160, 64]"))
        }
    }

    @Test func configDisagreeingWithCheckpoint() throws {
        var config = try LlamaConfig.load(path: Fixtures.directory(name))
        config.numKVHeads = 2
        do {
            _ = try LlamaModel(config: config, weights: try Fixtures.inMemory(name))
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("model.layers.0.self_attn.k_proj.weight"))
        }
    }

    @Test func missingTensorIsNamed() throws {
        var weights = try Fixtures.inMemory(name)
        weights = InMemoryWeights(weights.tensors.filter { $0.key != "lm_head.weight" })
        let config = try LlamaConfig.load(path: Fixtures.directory(name))
        do {
            _ = try LlamaModel(config: config, weights: weights)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("missing tensor 'lm_head.weight'"))
        }
        // Tied: lm_head.weight is not needed.
        var tied = config
        tied.tieWordEmbeddings = true
        _ = try LlamaModel(config: tied, weights: weights)
    }

    @Test func badRequestsAreErrorsNotTraps() throws {
        let model = try Fixtures.model(name)
        #expect(throws: LlamaError.self) { try model.logits(tokens: []) }
        #expect(throws: LlamaError.tokenOutOfRange(id: 320, vocabSize: 320)) { try model.logits(tokens: [1, 320]) }
        #expect(throws: LlamaError.self) { try model.logits(tokens: [-1]) }
        #expect(throws: LlamaError.self) {
            try model.generateGreedy([GreedyRequest(prompt: [], maxNewTokens: 3)], prefix: nil, eosTokenIds: [],
                                     shouldStop: { _, _ in false })
        }
        let cache = model.makeCache(batch: 1, capacity: 2)
        #expect(throws: LlamaError.self) {
            try model.forward([SequenceChunk(sequence: 0, tokens: [1, 2, 3])], cache: cache, logits: .none)
        }
        #expect(throws: LlamaError.self) {
            try model.forward([SequenceChunk(sequence: 1, tokens: [1])], cache: cache, logits: .none)
        }
        let other = try Fixtures.model(name)
        let prefix = try PrefixCache(model: other, tokens: [1, 2])
        #expect(throws: LlamaError.self) {
            try model.generateGreedy([GreedyRequest(prompt: [1, 2, 3], maxNewTokens: 1)], prefix: prefix,
                                     eosTokenIds: [], shouldStop: { _, _ in false })
        }
    }

    @Test func stopConditions() throws {
        let model = try Fixtures.model(name)
        let golden = try Fixtures.golden(name)
        let prompt = golden.prompts[1], full = golden.greedy[1]
        // A caller predicate stops request 0 after 3 tokens; request 1 stops at a chosen "EOS" id; request 2 has 0.
        let eos = full[5]
        let out = try model.generateGreedy(
            [GreedyRequest(prompt: prompt, maxNewTokens: 12), GreedyRequest(prompt: prompt, maxNewTokens: 12),
             GreedyRequest(prompt: prompt, maxNewTokens: 0), GreedyRequest(prompt: prompt, maxNewTokens: 4)],
            prefix: nil, eosTokenIds: [], shouldStop: { r, g in r == 0 && g.count == 3 })
        #expect(out == [Array(full[..<3]), full, [], Array(full[..<4])])
        let withEos = try model.generateGreedy([GreedyRequest(prompt: prompt, maxNewTokens: 12)], prefix: nil,
                                               eosTokenIds: [eos], shouldStop: { _, _ in false })
        let firstEos = full.firstIndex(of: eos) ?? 5
        #expect(withEos == [Array(full[...firstEos])])
    }
}
