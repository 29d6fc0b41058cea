import Foundation

/// One prompt to continue greedily, optionally with a continuation to score teacher-forced after it.
public struct GreedyRequest: Sendable, Equatable {
    public var prompt: [Int]
    public var maxNewTokens: Int
    /// Tokens whose log-probabilities are wanted right after `prompt` (e.g. the gold answer); nil scores nothing.
    public var continuation: [Int]?
    public init(prompt: [Int], maxNewTokens: Int, continuation: [Int]? = nil) {
        self.prompt = prompt
        self.maxNewTokens = maxNewTokens
        self.continuation = continuation
    }
}

/// What one request produced. Log-probabilities are natural logs of the softmax over the full logits row, in Double.
public struct GreedyOutput: Sendable, Equatable {
    /// The generated ids, exactly as produced (a final EOS included).
    public var tokens: [Int]
    /// log p of each generated id given everything before it; nil unless log-probabilities were asked for.
    public var tokenLogprobs: [Double]?
    /// log p of each continuation id given the prompt and the continuation before it; nil without a continuation.
    public var continuationLogprobs: [Double]?
    public init(tokens: [Int], tokenLogprobs: [Double]? = nil, continuationLogprobs: [Double]? = nil) {
        self.tokens = tokens
        self.tokenLogprobs = tokenLogprobs
        self.continuationLogprobs = continuationLogprobs
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
    /// Continuation tokens fed teacher-forced after generation (the first one is scored from the prefill's logits).
    public var scoredTokens = 0
    public var scoringSeconds = 0.0
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
        try generateGreedy(requests, prefix: prefix, eosTokenIds: eosTokenIds, vocabularyLimit: vocabularyLimit,
                           logprobs: false, stats: &stats, shouldStop: shouldStop).map(\.tokens)
    }

    /// As above, with log-probabilities: with `logprobs`, each generated id's; for every request with a
    /// continuation, its ids' teacher-forced ones. The continuation is scored after generation on the same KV cache
    /// (the prompt's positions are kept, the generated ones overwritten), so generation is exactly what it is
    /// without scoring and the prompt is prefilled once.
    public func generateGreedy(_ requests: [GreedyRequest], prefix: PrefixCache?, eosTokenIds: Set<Int>,
                               vocabularyLimit: Int? = nil, logprobs: Bool, stats: inout GenerationStats,
                               shouldStop: (_ request: Int, _ generated: [Int]) -> Bool) throws -> [GreedyOutput] {
        for (i, r) in requests.enumerated() {
            guard !r.prompt.isEmpty else { throw LlamaError.invalidRequest("request \(i): empty prompt") }
            guard r.maxNewTokens >= 0 else { throw LlamaError.invalidRequest("request \(i): negative maxNewTokens") }
            for t in r.prompt + (r.continuation ?? []) where t < 0 || t >= config.vocabSize {
                throw LlamaError.tokenOutOfRange(id: t, vocabSize: config.vocabSize)
            }
        }
        if let p = prefix, p.modelIdentity != ObjectIdentifier(self) {
            throw LlamaError.invalidRequest("the prefix cache was computed by a different model")
        }
        let limit = min(vocabularyLimit ?? config.vocabSize, config.vocabSize)
        guard limit > 0 else { throw LlamaError.invalidRequest("vocabularyLimit must be positive") }

        var outputs = requests.map {
            GreedyOutput(tokens: [], tokenLogprobs: logprobs ? [] : nil, continuationLogprobs: $0.continuation.map { _ in [] })
        }
        let active = requests.indices.filter { requests[$0].maxNewTokens > 0 || !(requests[$0].continuation ?? []).isEmpty }
        guard !active.isEmpty else { return outputs }
        // Cache slot k serves request active[k]; the last generated (or continuation) token is never fed back.
        let cache = makeCache(capacities: active.map {
            requests[$0].prompt.count + max(requests[$0].maxNewTokens, requests[$0].continuation?.count ?? 0) - 1
        })

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
        // The prefill's last row predicts the first continuation token; keep only that log-prob.
        for (slot, r) in active.enumerated() {
            if let first = requests[r].continuation?.first { outputs[r].continuationLogprobs = [logSoftmax(logits[slot], at: first)] }
        }

        var running = active.indices.filter { requests[active[$0]].maxNewTokens > 0 }  // slots still generating
        if running.count < active.count { logits = running.map { logits[$0] } }  // rows follow `running`
        clock = ContinuousClock.now
        while !running.isEmpty {
            var next: [SequenceChunk] = []
            var stillRunning: [Int] = []
            for (row, slot) in running.enumerated() {
                let r = active[slot]
                let token = argmax(logits[row], limit: limit)
                outputs[r].tokens.append(token)
                if logprobs { outputs[r].tokenLogprobs?.append(logSoftmax(logits[row], at: token)) }
                let done = outputs[r].tokens.count >= requests[r].maxNewTokens || eosTokenIds.contains(token)
                    || shouldStop(r, outputs[r].tokens)
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
        try scoreContinuations(requests, active: active, cache: cache, into: &outputs, stats: &stats)
        return outputs
    }

    /// Log-probs of every continuation token after the first, teacher-forced: each slot's cache is cut back to its
    /// prompt and the continuation (but its last token) is fed. Logit rows are materialised for at most
    /// `scoringRowsPerCall` tokens at a time, so a long gold answer never holds vocabulary × length floats.
    private func scoreContinuations(_ requests: [GreedyRequest], active: [Int], cache: KVCache,
                                    into outputs: inout [GreedyOutput], stats: inout GenerationStats) throws {
        let clock = ContinuousClock.now
        var pending: [(slot: Int, from: Int)] = []  // next continuation index to feed, per slot
        for (slot, r) in active.enumerated() {
            guard let c = requests[r].continuation, c.count > 1 else { continue }
            cache.reset(sequence: slot, keeping: requests[r].prompt.count)
            pending.append((slot, 0))
        }
        let scoringRowsPerCall = 64
        while !pending.isEmpty {
            var chunks: [SequenceChunk] = []
            var rows = 0
            var fed: [(slot: Int, from: Int, count: Int)] = []
            for (slot, from) in pending where rows < scoringRowsPerCall {
                let c = requests[active[slot]].continuation ?? []
                let count = min(c.count - 1 - from, scoringRowsPerCall - rows)
                chunks.append(SequenceChunk(sequence: slot, tokens: Array(c[from..<(from + count)])))
                fed.append((slot, from, count))
                rows += count
            }
            let logits = try forward(chunks, cache: cache, logits: .all)
            var row = 0
            var next: [(slot: Int, from: Int)] = []
            for (slot, from, count) in fed {
                let r = active[slot]
                let c = requests[r].continuation ?? []
                for i in 0..<count { outputs[r].continuationLogprobs?.append(logSoftmax(logits[row + i], at: c[from + i + 1])) }
                row += count
                if from + count < c.count - 1 { next.append((slot, from + count)) }
            }
            stats.scoredTokens += rows
            next += pending.filter { p in !fed.contains { $0.slot == p.slot } }
            pending = next
        }
        stats.scoringSeconds += seconds(since: clock)
    }
}

/// log softmax(row)[index] over the whole row, in Double (log-sum-exp shifted by the row's maximum).
func logSoftmax(_ row: [Float], at index: Int) -> Double {
    var maximum = -Double.infinity
    for v in row where Double(v) > maximum { maximum = Double(v) }
    var sum = 0.0
    for v in row { sum += exp(Double(v) - maximum) }
    return Double(row[index]) - maximum - log(sum)
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
