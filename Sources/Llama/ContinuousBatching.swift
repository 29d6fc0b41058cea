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
        /// The prompt (and the continuation to score after it, teacher-forced) is fed at the next step.
        case prompt
        /// Generating; `feed` is the last generated token, fed at the next step.
        case generating(feed: Int)
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
    /// Stopping, prefix reuse and log-probabilities are as in `generateGreedy`. A request's continuation is fed
    /// teacher-forced right after its prompt, in the same call, so its rows ride along with the other prompt rows
    /// instead of needing calls of their own. The generation then reads those rows for as long as it generates the
    /// continuation's tokens (the same bits: every row comes out as if alone), and the slot is cut back to where the
    /// two part before the first generated token is fed.
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
        /// A generated token from `row`: records it, then says whether the request is done.
        func generated(slot: Int, row: [Float], logSumExp known: Double? = nil) -> (token: Int, done: Bool) {
            let token = argmax(row, limit: limit)
            work[slot]!.output.tokens.append(token)
            if logprobs { work[slot]!.output.tokenLogprobs?.append(logSoftmax(row, at: token, logSumExp: known)) }
            let w = work[slot]!
            let done = w.output.tokens.count >= w.request.maxNewTokens || eosTokenIds.contains(token)
                || shouldStop(w.id, w.output.tokens)
            return (token, done)
        }
        /// After the prompt's call: `rows` are the logits after the prompt's last token and after each continuation
        /// token fed but the last. They score the continuation; the generation reads them while its tokens are the
        /// continuation's (row i + 1 follows continuation token i), then feeds its own from where the two part.
        func afterPrompt(slot: Int, rows: ArraySlice<[Float]>) throws {
            let w = work[slot]!
            let continuation = w.request.continuation ?? []
            var sums = [Double?](repeating: nil, count: rows.count)  // each row's log Σ exp, shared by both uses
            if !continuation.isEmpty {
                for (i, row) in rows.enumerated() {
                    sums[i] = rowLogSumExp(row)
                    work[slot]!.output.continuationLogprobs!.append(logSoftmax(row, at: continuation[i], logSumExp: sums[i]))
                }
            }
            guard w.request.maxNewTokens > 0 else { return try finish(slot: slot) }
            var i = 0
            while true {
                let (token, done) = generated(slot: slot, row: rows[rows.startIndex + i], logSumExp: sums[i])
                if done { return try finish(slot: slot) }
                if i + 1 < rows.count && token == continuation[i] { i += 1; continue }
                // The prompt and the i continuation tokens the generation shares stay; the rest is overwritten.
                cache.reset(sequence: slot, keeping: w.request.prompt.count + i)
                work[slot]!.phase = .generating(feed: token)
                return
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
            var logitRows: [Int: Int] = [:]   // per prompted slot: its last row and one per continuation token fed
            var promptRows = 0, decodeRows = 0, scoringRows = 0
            for slot in 0..<slots where work[slot] == nil { try admit(into: slot) }
            let prompted = Set(promptsToFeed(work: work, cache: cache, rows: promptRowsPerPass))
            for slot in 0..<slots {
                guard let w = work[slot] else { continue }
                switch w.phase {
                case .prompt:
                    guard prompted.contains(slot) else { continue }
                    let shared = cache.sharedLength(slot)
                    let scored = (w.request.continuation ?? []).dropLast()
                    stats.reusedPrefixTokens += shared
                    stats.prefillTokens += w.request.prompt.count - shared
                    promptRows += w.request.prompt.count - shared
                    scoringRows += scored.count
                    chunks.append(SequenceChunk(sequence: slot, tokens: Array(w.request.prompt[shared...]) + scored))
                    logitRows[slot] = 1 + scored.count
                case .generating(let feed):
                    chunks.append(SequenceChunk(sequence: slot, tokens: [feed]))
                    decodeRows += 1
                }
            }
            if chunks.isEmpty { break }
            let clock = ContinuousClock.now
            let logits = try forward(chunks, cache: cache, logits: .lastRows(counts: logitRows))
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
                switch work[slot]!.phase {
                case .prompt:
                    let count = logitRows[slot]!
                    try afterPrompt(slot: slot, rows: logits[row..<(row + count)])
                    row += count
                case .generating:
                    let (token, done) = generated(slot: slot, row: logits[row])
                    row += 1
                    if done { try finish(slot: slot) } else { work[slot]!.phase = .generating(feed: token) }
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
    ///
    /// Continuation rows count towards `rows`, and at most `scoredRowsPerCall` of them go into one call (again
    /// always at least one prompt): each gets a logits row of the whole vocabulary (400 KB at LLM-jp's 99,584), so
    /// long golds (translations) would otherwise hold a few hundred such rows at once.
    private func promptsToFeed(work: [SlotWork?], cache: KVCache, rows: Int) -> [Int] {
        let waiting = work.indices.filter { if case .prompt = work[$0]?.phase { true } else { false } }
            .sorted { work[$0]!.id < work[$1]!.id }
        var (total, scoredTotal) = (0, 0)
        var fed: [Int] = []
        for slot in waiting {
            let r = work[slot]!.request
            let scored = max(0, (r.continuation?.count ?? 0) - 1)
            let count = r.prompt.count - cache.sharedLength(slot) + scored
            if !fed.isEmpty && (total + count > rows || scoredTotal + scored > Self.scoredRowsPerCall) { break }
            fed.append(slot)
            total += count
            scoredTotal += scored
        }
        return fed
    }

    /// Continuation rows per forward call of `generateContinuously` (see `promptsToFeed`).
    static let scoredRowsPerCall = 64

    /// A request the model can run: a prompt, no negative length, every id in the vocabulary.
    private func validate(_ r: GreedyRequest, number: Int) throws {
        guard !r.prompt.isEmpty else { throw LlamaError.invalidRequest("request \(number): empty prompt") }
        guard r.maxNewTokens >= 0 else { throw LlamaError.invalidRequest("request \(number): negative maxNewTokens") }
        for t in r.prompt + (r.continuation ?? []) where t < 0 || t >= config.vocabSize {
            throw LlamaError.tokenOutOfRange(id: t, vocabSize: config.vocabSize)
        }
    }
}
