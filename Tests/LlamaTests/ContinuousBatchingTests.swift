import Testing
@testable import Llama

/// Continuous batching across prefixes (issue #11): requests that start from different prefix caches (one per
/// dataset) share one batch, each computes exactly what it computes alone, and a prefix is freed as soon as the
/// last request reading it has finished, while the others go on.
@Suite struct ContinuousBatchingTests {
    static func ids(_ count: Int, seed: Int, vocab: Int) -> [Int] {
        BatchInvariantForwardTests.ids(count, seed: seed, vocab: vocab)
    }

    @Test func requestsOfTwoPrefixesInOneBatchMatchEachAlone() throws {
        let model = try Fixtures.model("gqa-bf16-tied-5x")
        let vocab = model.config.vocabSize
        let heads = [Self.ids(30, seed: 1, vocab: vocab), Self.ids(20, seed: 2, vocab: vocab)]
        var prefixes: [PrefixCache?] = try heads.map { try PrefixCache(model: model, tokens: $0) }
        weak let firstPrefixKV = prefixes[0]?.cache
        // Three requests per prefix: different suffixes and lengths, one with nothing to generate, all scored.
        let requests = (0..<6).map { n in
            GreedyRequest(prompt: heads[n / 3] + Self.ids(2 + 3 * n, seed: 10 + n, vocab: vocab),
                          maxNewTokens: [4, 7, 0, 5, 2, 9][n], continuation: Self.ids(3 + n % 2, seed: 30 + n, vocab: vocab))
        }
        var aloneStats = GenerationStats()
        let alone = try requests.indices.map { n in
            try model.generateGreedy([requests[n]], prefix: prefixes[n / 3], eosTokenIds: [], logprobs: true,
                                     stats: &aloneStats, shouldStop: { _, _ in false })[0]
        }

        var handedOut = 0
        var outputs: [Int: GreedyOutput] = [:]
        var stats = GenerationStats()
        var checkedWhileOthersRun = false
        try model.generateContinuously(slots: 2, eosTokenIds: [], logprobs: true, stats: &stats, next: {
            guard handedOut < requests.count else { return nil }
            let n = handedOut
            handedOut += 1
            let entry = PrefixedRequest(requests[n], prefix: prefixes[n / 3])
            if n == 2 { prefixes[0] = nil }   // the first prefix's last request: the caller lets go of it
            return entry
        }, shouldStop: { _, _ in false }) { n, output in
            outputs[n] = output
            if (0..<3).allSatisfy({ outputs[$0] != nil }) && outputs.count < requests.count {
                #expect(firstPrefixKV == nil, "the first prefix is still held after its last request finished")
                checkedWhileOthersRun = true
            }
        }
        #expect(checkedWhileOthersRun)
        #expect(requests.indices.map { outputs[$0] } == alone)
        #expect(stats.reusedPrefixTokens == 3 * 30 + 3 * 20)
    }

    /// Prompts fed a few rows per call (so that slots drift apart and decoding rows share calls with prompt rows)
    /// give what each request gives alone; with long continuations, fewer prompts go into a call than the rows
    /// allow (`scoredRowsPerCall`).
    @Test(arguments: [2, 40])
    func staggeredPromptsMatchEachAlone(continuationLength: Int) throws {
        let model = try Fixtures.model("gqa-bf16-tied-5x")
        let vocab = model.config.vocabSize
        let requests = (0..<5).map { n in
            GreedyRequest(prompt: Self.ids(6 + 4 * n, seed: 50 + n, vocab: vocab), maxNewTokens: 3 + n % 3,
                          continuation: Self.ids(continuationLength + n % 2, seed: 70 + n, vocab: vocab))
        }
        var stats = GenerationStats()
        let alone = try requests.map {
            try model.generateGreedy([$0], prefix: nil, eosTokenIds: [], logprobs: true, stats: &stats,
                                     shouldStop: { _, _ in false })[0]
        }
        for rows in [1, 10, 1000] {
            var handedOut = 0
            var outputs: [Int: GreedyOutput] = [:]
            var finishOrder: [Int] = []
            try model.generateContinuously(slots: 3, promptRowsPerPass: rows, eosTokenIds: [], logprobs: true,
                                           stats: &stats, next: {
                guard handedOut < requests.count else { return nil }
                handedOut += 1
                return PrefixedRequest(requests[handedOut - 1], prefix: nil)
            }, shouldStop: { _, _ in false }) { n, output in
                outputs[n] = output
                finishOrder.append(n)
            }
            #expect(requests.indices.map { outputs[$0] } == alone, "\(rows) prompt rows per call")
            #expect(finishOrder.count == requests.count)
        }
    }

    /// A generation that starts as the continuation does reads the continuation's rows for that part and feeds only
    /// the rest: its tokens and log-probs equal pure generation, and the continuation's equal pure teacher forcing,
    /// bit for bit.
    @Test func generationFollowingTheContinuationReadsItsRows() throws {
        let model = try Fixtures.model("gqa-bf16-tied-5x")
        let vocab = model.config.vocabSize
        let prompt = Self.ids(12, seed: 90, vocab: vocab)
        func run(_ r: GreedyRequest, _ stats: inout GenerationStats) throws -> GreedyOutput {
            try model.generateGreedy([r], prefix: nil, eosTokenIds: [], logprobs: true, stats: &stats,
                                     shouldStop: { _, _ in false })[0]
        }
        var stats = GenerationStats()
        let greedy = try run(GreedyRequest(prompt: prompt, maxNewTokens: 6), &stats)
        #expect(greedy.tokens.count == 6)
        for shared in [0, 1, 3, 6] {
            let other = shared < 6 ? (greedy.tokens[shared] + 1) % vocab : 5
            let continuation = Array(greedy.tokens.prefix(shared)) + [other, 7, 2]
            let teacherForced = try run(GreedyRequest(prompt: prompt, maxNewTokens: 0, continuation: continuation),
                                        &stats).continuationLogprobs
            var both = GenerationStats()
            let output = try run(GreedyRequest(prompt: prompt, maxNewTokens: 6, continuation: continuation), &both)
            #expect(output.tokens == greedy.tokens && output.tokenLogprobs == greedy.tokenLogprobs)
            #expect(output.continuationLogprobs == teacherForced, "\(shared) shared tokens")
            // The generation alone feeds 5 of its 6 tokens; those it shares with the continuation are not fed again.
            #expect(both.scoredTokens == continuation.count - 1, "\(shared) shared tokens")
            #expect(both.decodeTokens == 5 - min(shared, 5), "\(shared) shared tokens")
        }
    }

    /// A slot's buffer grows to the longest request it has served, holding only positions after the prefix.
    @Test func slotsGrowToTheirRequests() throws {
        let model = try Fixtures.model("mha-f32-untied-4x")
        let vocab = model.config.vocabSize
        let cache = model.makeCache(capacities: [0, 0])
        cache.reserve(sequence: 1, capacity: 12)
        #expect(cache.capacities == [0, 12] && cache.byteCount == 12 * cache.bytesPerPosition)
        cache.reserve(sequence: 1, capacity: 5)   // never shrinks
        #expect(cache.capacities == [0, 12])
        _ = try model.forward([SequenceChunk(sequence: 1, tokens: Self.ids(12, seed: 3, vocab: vocab))], cache: cache,
                              logits: .none)
        #expect(cache.lengths == [0, 12])
    }
}
