import Foundation
import Linalg

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
    /// Tokens fed through decoding steps (the first generated token comes from the prefill, and generated tokens
    /// equal to the continuation's come from its rows).
    public var decodeTokens = 0
    public var decodeSeconds = 0.0
    public var decodeSteps = 0
    /// Continuation tokens fed teacher-forced with the prompt (all but the last; the first is scored from the
    /// prompt's last row).
    public var scoredTokens = 0
    public var scoringSeconds = 0.0
    public init() {}
}

/// The KV cache of a shared prompt prefix (e.g. the few-shot part common to every prompt of a dataset),
/// computed once and read in place (never copied, never written again) by each request that starts with (part of) it.
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
    /// continuation, its ids' teacher-forced ones. The continuation is fed right after the prompt in the same call;
    /// while the generated ids equal its first ones, the generation reads its rows instead of feeding them again
    /// (the same bits: every row comes out as if alone), and the slot's positions after the part they share are
    /// overwritten by what the generation feeds, so generation is exactly what it is without scoring.
    /// All requests share one batch (one KV slot each).
    public func generateGreedy(_ requests: [GreedyRequest], prefix: PrefixCache?, eosTokenIds: Set<Int>,
                               vocabularyLimit: Int? = nil, logprobs: Bool, stats: inout GenerationStats,
                               shouldStop: (_ request: Int, _ generated: [Int]) -> Bool) throws -> [GreedyOutput] {
        var outputs = [GreedyOutput](repeating: GreedyOutput(tokens: []), count: requests.count)
        try generateContinuously(requests, slots: max(1, requests.count), prefix: prefix, eosTokenIds: eosTokenIds,
                                 vocabularyLimit: vocabularyLimit, logprobs: logprobs, stats: &stats,
                                 shouldStop: shouldStop) { outputs[$0] = $1 }
        return outputs
    }
}

/// log Σ exp over the whole row (`Linalg.logSumExp`, summed in Double).
func rowLogSumExp(_ row: [Float]) -> Double {
    row.withUnsafeBufferPointer { logSumExp($0) }
}

/// log softmax(row)[index] over the whole row; `logSumExp` is the row's `rowLogSumExp` when the caller has it.
func logSoftmax(_ row: [Float], at index: Int, logSumExp sum: Double? = nil) -> Double {
    Double(row[index]) - (sum ?? rowLogSumExp(row))
}

/// Index of the largest value among the first `limit` (the first one on ties, as torch.argmax).
func argmax(_ row: [Float], limit: Int) -> Int {
    row.withUnsafeBufferPointer { Linalg.argmax(UnsafeBufferPointer(rebasing: $0.prefix(limit))) }
}
