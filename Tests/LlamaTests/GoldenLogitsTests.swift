import Testing
@testable import Llama

/// Logits and greedy continuations against transformers (fp32, eager attention) on the same stored weights.
@Suite struct GoldenLogitsTests {
    @Test(arguments: Fixtures.models)
    func logitsMatchTransformers(model name: String) throws {
        let model = try Fixtures.model(name)
        let golden = try Fixtures.golden(name)
        for (i, prompt) in golden.prompts.enumerated() {
            let logits = try model.logits(tokens: prompt)
            let worst = Fixtures.worstLogitError(logits, golden.logits[i])
            #expect(worst <= 1, "\(name) prompt \(i): worst error \(worst)× the tolerance")
        }
    }

    @Test(arguments: Fixtures.models)
    func greedyMatchesTransformersOneAtATime(model name: String) throws {
        let model = try Fixtures.model(name)
        let golden = try Fixtures.golden(name)
        #expect(Set(golden.eos_token_ids) == Set(model.config.eosTokenIds))
        for (i, prompt) in golden.prompts.enumerated() {
            let out = try model.generateGreedy([GreedyRequest(prompt: prompt, maxNewTokens: golden.max_new_tokens)],
                                               prefix: nil, eosTokenIds: Set(model.config.eosTokenIds),
                                               shouldStop: { _, _ in false })
            #expect(out == [golden.greedy[i]], "\(name) prompt \(i)")
        }
    }

    @Test(arguments: Fixtures.models)
    func batchedGreedyMatchesTransformers(model name: String) throws {
        let model = try Fixtures.model(name)
        let golden = try Fixtures.golden(name)
        let requests = golden.prompts.map { GreedyRequest(prompt: $0, maxNewTokens: golden.max_new_tokens) }
        var stats = GenerationStats()
        let out = try model.generateGreedy(requests, prefix: nil, eosTokenIds: Set(model.config.eosTokenIds),
                                           stats: &stats, shouldStop: { _, _ in false })
        #expect(out == golden.greedy)
        #expect(stats.prefillTokens == golden.prompts.reduce(0) { $0 + $1.count })
    }

    @Test(arguments: Fixtures.models)
    func prefixCachedGreedyMatchesTransformers(model name: String) throws {
        let model = try Fixtures.model(name)
        let golden = try Fixtures.golden(name)
        // prompts[1] is 17 tokens; prompts[2] shares its first 11; prompts[0] and [3] share nothing (usually).
        let prefix = try PrefixCache(model: model, tokens: golden.prompts[1])
        let requests = golden.prompts.map { GreedyRequest(prompt: $0, maxNewTokens: golden.max_new_tokens) }
        var stats = GenerationStats()
        let out = try model.generateGreedy(requests, prefix: prefix, eosTokenIds: Set(model.config.eosTokenIds),
                                           stats: &stats, shouldStop: { _, _ in false })
        #expect(out == golden.greedy)
        #expect(stats.reusedPrefixTokens >= 16 + 11)
    }

    @Test(arguments: Fixtures.models)
    func prefixCachedLogitsMatchUncached(model name: String) throws {
        let model = try Fixtures.model(name)
        let golden = try Fixtures.golden(name)
        let prompt = golden.prompts[2]
        let prefix = try PrefixCache(model: model, tokens: golden.prompts[1])
        let n = prefix.reusableLength(for: prompt)
        #expect(n == 11)
        let cache = model.makeCache(batch: 1, capacity: prompt.count - n)
        cache.share(prefixOf: prefix.cache, sequence: 0, count: n, into: 0)
        let rest = try model.forward([SequenceChunk(sequence: 0, tokens: Array(prompt[n...]))], cache: cache, logits: .all)
        let worst = Fixtures.worstLogitError(rest, Array(golden.logits[2][n...]))
        #expect(worst <= 1, "worst error \(worst)× the tolerance")
    }

    /// Many small passes (rows split across passes, attention over earlier passes' cache) give the same logits.
    @Test(arguments: Fixtures.models)
    func multiPassForwardMatchesTransformers(model name: String) throws {
        let model = try Fixtures.model(name)
        model.maxRowsPerPass = 5
        let golden = try Fixtures.golden(name)
        let logits = try model.logits(tokens: golden.prompts[1])
        #expect(Fixtures.worstLogitError(logits, golden.logits[1]) <= 1)
    }

    /// Averaging evaluates weights held in memory: same numbers as from the files.
    @Test func inMemoryWeightsGiveTheSameLogits() throws {
        let name = "gqa-bf16-tied-5x"
        let config = try LlamaConfig.load(path: Fixtures.directory(name))
        let model = try LlamaModel(config: config, weights: try Fixtures.inMemory(name))
        let golden = try Fixtures.golden(name)
        #expect(Fixtures.worstLogitError(try model.logits(tokens: golden.prompts[1]), golden.logits[1]) <= 1)
    }
}
