import Foundation

/// One prompt to continue greedily.
public struct GreedyRequest: Sendable, Equatable {
    public var prompt: [Int]
    public var maxNewTokens: Int
    public init(prompt: [Int], maxNewTokens: Int) {
        self.prompt = prompt
        self.maxNewTokens = maxNewTokens
    }
}

/// Where the time of a generation went (for `--timing` and the benchmarks).
public struct GenerationStats: Sendable, Equatable {
    public var prefillTokens = 0
    public var prefillSeconds = 0.0
    /// Prompt tokens taken from a prefix cache instead of being computed.
    public var reusedPrefixTokens = 0
    /// Tokens fed through decoding steps (the first generated token comes from the prefill).
    public var decodeTokens = 0
    public var decodeSeconds = 0.0
    public var decodeSteps = 0
    public init() {}
}

/// The KV cache of a shared prompt prefix (e.g. the few-shot part common to every prompt of a dataset),
/// computed once and copied into each request that starts with (part of) it.
public struct PrefixCache: @unchecked Sendable {
    public let tokens: [Int]
    let cache: KVCache
    let modelIdentity: ObjectIdentifier

    public init(model: LlamaModel, tokens: [Int]) throws {
        self.tokens = tokens
        cache = model.makeCache(batch: 1, capacity: tokens.count)
        modelIdentity = ObjectIdentifier(model)
        if !tokens.isEmpty {
            _ = try model.forward([SequenceChunk(sequence: 0, tokens: tokens)], cache: cache, logits: .none)
        }
    }

    /// Positions of `prompt` this prefix can supply: the longest common prefix of ids, leaving at least the last
    /// prompt token to be computed (its logits start the generation).
    func reusableLength(for prompt: [Int]) -> Int {
        var n = 0
        let limit = min(tokens.count, prompt.count - 1)
        while n < limit && tokens[n] == prompt[n] { n += 1 }
        return n
    }
}

extension LlamaModel {
    /// Decodes all requests together as one batch. With `prefix`, each request reuses the longest common prefix of
    /// token ids between `prefix.tokens` and its prompt, and prefills only the rest.
    ///
    /// A request stops after `maxNewTokens` tokens, after an id in `eosTokenIds` (which is included in its output,
    /// as transformers does), or when `shouldStop(request, generatedSoFar)` returns true after a token.
    /// With `vocabularyLimit`, argmax only considers ids below it (LLM-jp pads the embedding past the tokenizer).
    public func generateGreedy(_ requests: [GreedyRequest], prefix: PrefixCache?, eosTokenIds: Set<Int>,
                               vocabularyLimit: Int? = nil,
                               shouldStop: (_ request: Int, _ generated: [Int]) -> Bool) throws -> [[Int]] {
        var stats = GenerationStats()
        return try generateGreedy(requests, prefix: prefix, eosTokenIds: eosTokenIds, vocabularyLimit: vocabularyLimit,
                                  stats: &stats, shouldStop: shouldStop)
    }

    /// As above, also reporting where the time went.
    public func generateGreedy(_ requests: [GreedyRequest], prefix: PrefixCache?, eosTokenIds: Set<Int>,
                               vocabularyLimit: Int? = nil, stats: inout GenerationStats,
                               shouldStop: (_ request: Int, _ generated: [Int]) -> Bool) throws -> [[Int]] {
        for (i, r) in requests.enumerated() {
            guard !r.prompt.isEmpty else { throw LlamaError.invalidRequest("request \(i): empty prompt") }
            guard r.maxNewTokens >= 0 else { throw LlamaError.invalidRequest("request \(i): negative maxNewTokens") }
            for t in r.prompt where t < 0 || t >= config.vocabSize {
                throw LlamaError.tokenOutOfRange(id: t, vocabSize: config.vocabSize)
            }
        }
        if let p = prefix, p.modelIdentity != ObjectIdentifier(self) {
            throw LlamaError.invalidRequest("the prefix cache was computed by a different model")
        }
        let limit = min(vocabularyLimit ?? config.vocabSize, config.vocabSize)
        guard limit > 0 else { throw LlamaError.invalidRequest("vocabularyLimit must be positive") }

        var generated = [[Int]](repeating: [], count: requests.count)
        let active = requests.indices.filter { requests[$0].maxNewTokens > 0 }
        guard !active.isEmpty else { return generated }
        // Cache slot k serves request active[k]; the last generated token is never fed back, hence no +1.
        let cache = makeCache(capacities: active.map { requests[$0].prompt.count + requests[$0].maxNewTokens - 1 })

        var chunks: [SequenceChunk] = []
        for (slot, r) in active.enumerated() {
            let prompt = requests[r].prompt
            var reused = 0
            if let p = prefix {
                reused = p.reusableLength(for: prompt)
                if reused > 0 { cache.copyPrefix(from: p.cache, sequence: 0, into: slot, count: reused) }
            }
            stats.reusedPrefixTokens += reused
            stats.prefillTokens += prompt.count - reused
            chunks.append(SequenceChunk(sequence: slot, tokens: Array(prompt[reused...])))
        }
        var clock = ContinuousClock.now
        var logits = try forward(chunks, cache: cache, logits: .lastOfEachChunk)
        stats.prefillSeconds += seconds(since: clock)

        var running = Array(active.indices)  // slots still generating, in order
        clock = ContinuousClock.now
        while true {
            var next: [SequenceChunk] = []
            var stillRunning: [Int] = []
            for (row, slot) in running.enumerated() {
                let r = active[slot]
                let token = argmax(logits[row], limit: limit)
                generated[r].append(token)
                let done = generated[r].count >= requests[r].maxNewTokens || eosTokenIds.contains(token)
                    || shouldStop(r, generated[r])
                if !done {
                    stillRunning.append(slot)
                    next.append(SequenceChunk(sequence: slot, tokens: [token]))
                }
            }
            running = stillRunning
            if running.isEmpty { break }
            logits = try forward(next, cache: cache, logits: .lastOfEachChunk)
            stats.decodeSteps += 1
            stats.decodeTokens += next.count
        }
        stats.decodeSeconds += seconds(since: clock)
        return generated
    }
}

/// Index of the largest value among the first `limit` (the first one on ties, as torch.argmax).
func argmax(_ row: [Float], limit: Int) -> Int {
    let n = min(limit, row.count)
    guard n > 0 else { return 0 }
    var best = 0
    var bestValue = row[0]
    for i in 1..<n where row[i] > bestValue {
        best = i
        bestValue = row[i]
    }
    return best
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
