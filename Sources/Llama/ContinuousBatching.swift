import Foundation
import Linalg

/// A request of a continuous batch with the prefix cache its prompt may start from. Requests of one batch may
/// start from different prefixes (one per dataset, say).
public struct PrefixedRequest {
    public var request: GreedyRequest
    public var prefix: PrefixCache?
    public init(_ request: GreedyRequest, prefix: PrefixCache?) {
        self.request = request
        self.prefix = prefix
    }
}

/// What one KV slot of a continuous batch holds: the request it serves and how far that request has got.
private struct SlotWork {
    enum Phase {
        /// The prompt is fed at the next step.
        case prompt
        /// Generating; `feed` is the last generated token, fed at the next step.
        case generating(feed: Int)
        /// Feeding the continuation teacher-forced from index `from` (generation is over).
        case scoring(from: Int)
    }
    let id: Int
    let request: GreedyRequest
    var output: GreedyOutput
    var phase: Phase
}

extension LlamaModel {
    /// Greedy decoding with continuous batching over `requests`, which all share `prefix`. `onFinish(request,
    /// output)` is called once per request, in completion order.
    public func generateContinuously(_ requests: [GreedyRequest], slots: Int, prefix: PrefixCache?,
                                     eosTokenIds: Set<Int>, vocabularyLimit: Int? = nil, logprobs: Bool,
                                     stats: inout GenerationStats,
                                     shouldStop: (_ request: Int, _ generated: [Int]) -> Bool,
                                     onFinish: (_ request: Int, _ output: GreedyOutput) throws -> Void) throws {
        var pending = requests.makeIterator()
        try generateContinuously(slots: slots, eosTokenIds: eosTokenIds, vocabularyLimit: vocabularyLimit,
                                 logprobs: logprobs, stats: &stats, next: { pending.next().map { PrefixedRequest($0, prefix: prefix) } },
                                 shouldStop: shouldStop, onFinish: onFinish)
    }

    /// Greedy decoding with continuous batching: `slots` KV slots are kept busy. Whenever a slot is free, `next()`
    /// is asked for the next request (requests are numbered in the order it returns them, from 0) until it returns
    /// nil; the new prompt is prefilled in a forward call beside the other slots' decoding tokens, waiting prompts
    /// taking turns in calls of about `promptRowsPerPass` prompt rows (see `promptsToFeed`).
    /// `onFinish(request, output)` is called once per request, in completion order.
    ///
    /// A request is held only while it runs, and a slot reads its prefix cache's positions in place (it holds only
    /// its request's own positions after them), so a caller may build a prefix when its first request is asked for
    /// and drop it after its last: the prefix is freed when the last slot using it moves on.
    ///
    /// Stopping, prefix reuse, log-probabilities and continuation scoring are as in `generateGreedy`: a request with
    /// a continuation is scored after its generation on its own slot (cut back to the prompt).
    public func generateContinuously(slots: Int, promptRowsPerPass: Int = defaultPromptRowsPerPass,
                                     eosTokenIds: Set<Int>, vocabularyLimit: Int? = nil, logprobs: Bool,
                                     stats: inout GenerationStats, next: () throws -> PrefixedRequest?,
                                     shouldStop: (_ request: Int, _ generated: [Int]) -> Bool,
                                     onFinish: (_ request: Int, _ output: GreedyOutput) throws -> Void) throws {
        guard slots >= 1 else { throw LlamaError.invalidRequest("slots must be ≥ 1 (found \(slots))") }
        let limit = min(vocabularyLimit ?? config.vocabSize, config.vocabSize)
        guard limit > 0 else { throw LlamaError.invalidRequest("vocabularyLimit must be positive") }

        let cache = makeCache(capacities: [Int](repeating: 0, count: slots))   // each slot grows to its requests
        var work: [SlotWork?] = [SlotWork?](repeating: nil, count: slots)
        var pulled = 0
        var exhausted = false
        let scoringRowsPerCall = 64

        /// Puts the next request that needs the model into `slot` (finishing at once those that do not).
        func admit(into slot: Int) throws {
            while !exhausted {
                guard let entry = try next() else { exhausted = true; return }
                let id = pulled
                pulled += 1
                let r = entry.request
                try validate(r, number: id)
                if let p = entry.prefix, p.modelIdentity != ObjectIdentifier(self) {
                    throw LlamaError.invalidRequest("the prefix cache was computed by a different model")
                }
                let output = GreedyOutput(tokens: [], tokenLogprobs: logprobs ? [] : nil,
                                          continuationLogprobs: r.continuation.map { _ in [] })
                guard r.maxNewTokens > 0 || !(r.continuation ?? []).isEmpty else { try onFinish(id, output); continue }
                let shared = entry.prefix?.reusableLength(for: r.prompt) ?? 0
                // The last generated (or continuation) token is never fed back, hence the - 1.
                let positions = r.prompt.count + max(r.maxNewTokens, r.continuation?.count ?? 0) - 1
                cache.reset(sequence: slot)
                cache.reserve(sequence: slot, capacity: positions - shared)
                if let p = entry.prefix, shared > 0 { cache.share(prefixOf: p.cache, sequence: 0, count: shared, into: slot) }
                work[slot] = SlotWork(id: id, request: r, output: output, phase: .prompt)
                return
            }
        }
        /// After a generated token: the slot goes on generating, turns to scoring, or is freed. `fed` is the token
        /// whose row this is (nil for a prompt's last row); `logSumExp` is the row's, when the caller has it already.
        func afterToken(slot: Int, row: [Float], fed: Int? = nil, logSumExp known: Double? = nil) throws {
            var sum = known
            if let gold = continuationToken(scoredByRowOf: fed, slot: slot) {
                sum = sum ?? rowLogSumExp(row)
                work[slot]!.output.continuationLogprobs!.append(logSoftmax(row, at: gold, logSumExp: sum))
            }
            let token = argmax(row, limit: limit)
            work[slot]!.output.tokens.append(token)
            if logprobs { work[slot]!.output.tokenLogprobs?.append(logSoftmax(row, at: token, logSumExp: sum)) }
            let w = work[slot]!
            let done = w.output.tokens.count >= w.request.maxNewTokens || eosTokenIds.contains(token)
                || shouldStop(w.id, w.output.tokens)
            if done { try finishGeneration(slot: slot) } else { work[slot]!.phase = .generating(feed: token) }
        }
        /// While the generation has followed the continuation, the row of the token it fed is also the
        /// continuation's next row (the same bits as teacher forcing, every row coming out as if alone): the
        /// continuation token that row scores, or nil.
        func continuationToken(scoredByRowOf fed: Int?, slot: Int) -> Int? {
            guard let fed, let w = work[slot], let c = w.request.continuation,
                  let scored = w.output.continuationLogprobs?.count,
                  scored == w.output.tokens.count, scored < c.count, c[scored - 1] == fed else { return nil }
            return c[scored]
        }
        func finishGeneration(slot: Int) throws {
            let w = work[slot]!
            if let c = w.request.continuation, let scored = w.output.continuationLogprobs?.count, scored < c.count {
                // Positions of the continuation's first scored - 1 tokens hold what teacher forcing would write:
                // the generation fed those very tokens.
                cache.reset(sequence: slot, keeping: w.request.prompt.count + scored - 1)
                work[slot]!.phase = .scoring(from: scored - 1)
            } else {
                try finish(slot: slot)
            }
        }
        func finish(slot: Int) throws {
            let w = work[slot]!
            work[slot] = nil
            cache.reset(sequence: slot)   // lets go of the prefix it read
            try onFinish(w.id, w.output)
        }

        while true {
            var chunks: [SequenceChunk] = []
            var scored: [Int: (from: Int, count: Int)] = [:]
            var promptRows = 0, decodeRows = 0, scoringRows = 0
            for slot in 0..<slots where work[slot] == nil { try admit(into: slot) }
            let prompted = Set(promptsToFeed(work: work, cache: cache, rows: promptRowsPerPass))
            for slot in 0..<slots {
                guard let w = work[slot] else { continue }
                switch w.phase {
                case .prompt:
                    guard prompted.contains(slot) else { continue }
                    let shared = cache.sharedLength(slot)
                    stats.reusedPrefixTokens += shared
                    stats.prefillTokens += w.request.prompt.count - shared
                    promptRows += w.request.prompt.count - shared
                    chunks.append(SequenceChunk(sequence: slot, tokens: Array(w.request.prompt[shared...])))
                case .generating(let feed):
                    chunks.append(SequenceChunk(sequence: slot, tokens: [feed]))
                    decodeRows += 1
                case .scoring(let from):
                    // A continuation is fed in the pieces it would have alone (its numerics must not depend on
                    // the other slots); a piece that does not fit beside the others waits for the next call.
                    let c = w.request.continuation ?? []
                    let count = min(c.count - 1 - from, scoringRowsPerCall)
                    guard scoringRows == 0 || scoringRows + count <= scoringRowsPerCall else { continue }
                    chunks.append(SequenceChunk(sequence: slot, tokens: Array(c[from..<(from + count)])))
                    scored[slot] = (from, count)
                    scoringRows += count
                }
            }
            if chunks.isEmpty { break }
            let clock = ContinuousClock.now
            let logits = try forward(chunks, cache: cache, logits: .allOf(sequences: Set(scored.keys)))
            let elapsed = (ContinuousClock.now - clock).seconds
            let rows = Double(promptRows + decodeRows + scoringRows)
            stats.prefillSeconds += elapsed * Double(promptRows) / rows
            stats.decodeSeconds += elapsed * Double(decodeRows) / rows
            stats.scoringSeconds += elapsed * Double(scoringRows) / rows
            if decodeRows > 0 { stats.decodeSteps += 1 }
            stats.decodeTokens += decodeRows
            stats.scoredTokens += scoringRows

            var row = 0
            for chunk in chunks {
                let slot = chunk.sequence
                let w = work[slot]!
                switch w.phase {
                case .prompt:
                    let last = logits[row]
                    row += 1
                    // The prompt's last row predicts the first continuation token; keep only that log-prob.
                    var sum: Double? = nil   // shared with the generated token's log-prob
                    if let first = w.request.continuation?.first {
                        sum = rowLogSumExp(last)
                        work[slot]!.output.continuationLogprobs = [logSoftmax(last, at: first, logSumExp: sum)]
                    }
                    if w.request.maxNewTokens == 0 { try finishGeneration(slot: slot) }
                    else { try afterToken(slot: slot, row: last, logSumExp: sum) }
                case .generating(let feed):
                    try afterToken(slot: slot, row: logits[row], fed: feed)
                    row += 1
                case .scoring:
                    let (from, count) = scored[slot]!
                    let c = w.request.continuation ?? []
                    for i in 0..<count {
                        work[slot]!.output.continuationLogprobs?.append(logSoftmax(logits[row + i], at: c[from + i + 1]))
                    }
                    row += count
                    if from + count < c.count - 1 { work[slot]!.phase = .scoring(from: from + count) }
                    else { try finish(slot: slot) }
                }
            }
        }
    }

    /// Prompt rows per forward call of `generateContinuously`, by measurement (docs/BENCHMARKS.md, "Staggered
    /// prompts"): a 150m-shaped evaluation at 16 slots took 8.3 s unlimited, 8.4 s at 128 rows, 8.15 s at 256 and
    /// at 512.
    public static let defaultPromptRowsPerPass = 256

    /// The slots whose prompts are fed in the next call: waiting prompts in the order their requests came, while
    /// their rows stay within `rows` (always at least one). Feeding every waiting prompt at once kept the slots in
    /// lockstep, as requests of one dataset start together and end together; their decoding steps then ran as
    /// calls of a few rows each, which read every weight for little work (46 such calls took 15% of an evaluation's
    /// forward time at 16 slots of the 150m shape). Staggered prompts let the other slots' decoding rows ride along
    /// with prompt rows. Which call a prompt is fed in does not change its numbers: every row comes out as if alone.
    private func promptsToFeed(work: [SlotWork?], cache: KVCache, rows: Int) -> [Int] {
        let waiting = work.indices.filter { if case .prompt = work[$0]?.phase { true } else { false } }
            .sorted { work[$0]!.id < work[$1]!.id }
        var total = 0
        var fed: [Int] = []
        for slot in waiting {
            let count = work[slot]!.request.prompt.count - cache.sharedLength(slot)
            if !fed.isEmpty && total + count > rows { break }
            fed.append(slot)
            total += count
        }
        return fed
    }

    /// A request the model can run: a prompt, no negative length, every id in the vocabulary.
    private func validate(_ r: GreedyRequest, number: Int) throws {
        guard !r.prompt.isEmpty else { throw LlamaError.invalidRequest("request \(number): empty prompt") }
        guard r.maxNewTokens >= 0 else { throw LlamaError.invalidRequest("request \(number): negative maxNewTokens") }
        for t in r.prompt + (r.continuation ?? []) where t < 0 || t >= config.vocabSize {
            throw LlamaError.tokenOutOfRange(id: t, vocabSize: config.vocabSize)
        }
    }
}
