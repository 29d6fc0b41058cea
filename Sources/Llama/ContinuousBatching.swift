import Foundation

/// What one KV slot of a continuous batch is doing.
private enum SlotWork {
    /// Generating for `request`; `feed` is the last generated token, fed at the next step.
    case generating(request: Int, feed: Int)
    /// Feeding `request`'s continuation teacher-forced from index `from` (generation is over).
    case scoring(request: Int, from: Int)
}

extension LlamaModel {
    /// Greedy decoding with continuous batching: `slots` KV slots are kept busy; as soon as a request finishes, its
    /// slot takes the next request of `requests` (in order), whose prompt is prefilled in the same forward call as
    /// the other slots' decoding tokens. `onFinish(request, output)` is called once per request, in completion order.
    ///
    /// Stopping, prefix reuse, log-probabilities and continuation scoring are as in `generateGreedy`: a request with
    /// a continuation is scored after its generation on its own slot (cut back to the prompt). A slot reads the
    /// prefix cache's positions in place and holds only its request's own positions after them.
    public func generateContinuously(_ requests: [GreedyRequest], slots: Int, prefix: PrefixCache?,
                                     eosTokenIds: Set<Int>, vocabularyLimit: Int? = nil, logprobs: Bool,
                                     stats: inout GenerationStats,
                                     shouldStop: (_ request: Int, _ generated: [Int]) -> Bool,
                                     onFinish: (_ request: Int, _ output: GreedyOutput) throws -> Void) throws {
        guard slots >= 1 else { throw LlamaError.invalidRequest("slots must be ≥ 1 (found \(slots))") }
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

        var outputs: [Int: GreedyOutput] = [:]
        func fresh(_ r: Int) -> GreedyOutput {
            GreedyOutput(tokens: [], tokenLogprobs: logprobs ? [] : nil,
                         continuationLogprobs: requests[r].continuation.map { _ in [] })
        }
        // The last generated (or continuation) token is never fed back, hence the - 1.
        func positions(_ r: Int) -> Int {
            requests[r].prompt.count + max(requests[r].maxNewTokens, requests[r].continuation?.count ?? 0) - 1
        }
        var queue: [Int] = []  // requests that need the model, in order
        for r in requests.indices {
            if requests[r].maxNewTokens > 0 || !(requests[r].continuation ?? []).isEmpty { queue.append(r) }
            else { try onFinish(r, fresh(r)) }
        }
        guard !queue.isEmpty else { return }
        let slotCount = min(slots, queue.count)
        // A slot refers to the prefix cache's positions instead of copying them, so it holds only the rest.
        let reused = requests.map { r in prefix.map { $0.reusableLength(for: r.prompt) } ?? 0 }
        let capacity = queue.map { positions($0) - reused[$0] }.max() ?? 0
        let cache = makeCache(capacities: [Int](repeating: capacity, count: slotCount))
        var work: [SlotWork?] = [SlotWork?](repeating: nil, count: slotCount)
        var nextInQueue = 0
        let scoringRowsPerCall = 64

        /// After a generated token: the slot goes on generating, turns to scoring, or is freed.
        func afterToken(slot: Int, request r: Int, row: [Float]) throws {
            let token = argmax(row, limit: limit)
            outputs[r]!.tokens.append(token)
            if logprobs { outputs[r]!.tokenLogprobs?.append(logSoftmax(row, at: token)) }
            let done = outputs[r]!.tokens.count >= requests[r].maxNewTokens || eosTokenIds.contains(token)
                || shouldStop(r, outputs[r]!.tokens)
            if done { try finishGeneration(slot: slot, request: r) } else { work[slot] = .generating(request: r, feed: token) }
        }
        func finishGeneration(slot: Int, request r: Int) throws {
            if let c = requests[r].continuation, c.count > 1 {
                cache.reset(sequence: slot, keeping: requests[r].prompt.count)
                work[slot] = .scoring(request: r, from: 0)
            } else {
                work[slot] = nil
                try onFinish(r, outputs.removeValue(forKey: r)!)
            }
        }

        while true {
            var chunks: [SequenceChunk] = []
            var prefilled: Set<Int> = []   // slots whose chunk is a new prompt
            var scored: [Int: (from: Int, count: Int)] = [:]
            var promptRows = 0, decodeRows = 0, scoringRows = 0
            for slot in 0..<slotCount {
                if work[slot] == nil, nextInQueue < queue.count {
                    let r = queue[nextInQueue]
                    nextInQueue += 1
                    outputs[r] = fresh(r)
                    let prompt = requests[r].prompt
                    let shared = reused[r]
                    cache.reset(sequence: slot)
                    if let p = prefix, shared > 0 { cache.share(prefixOf: p.cache, sequence: 0, count: shared, into: slot) }
                    stats.reusedPrefixTokens += shared
                    stats.prefillTokens += prompt.count - shared
                    promptRows += prompt.count - shared
                    chunks.append(SequenceChunk(sequence: slot, tokens: Array(prompt[shared...])))
                    prefilled.insert(slot)
                    work[slot] = .generating(request: r, feed: -1)
                    continue
                }
                switch work[slot] {
                case .generating(_, let feed)?:
                    chunks.append(SequenceChunk(sequence: slot, tokens: [feed]))
                    decodeRows += 1
                case .scoring(let r, let from)?:
                    // A continuation is fed in the pieces it would have alone (its numerics must not depend on
                    // the other slots); a piece that does not fit beside the others waits for the next call.
                    let c = requests[r].continuation ?? []
                    let count = min(c.count - 1 - from, scoringRowsPerCall)
                    guard scoringRows == 0 || scoringRows + count <= scoringRowsPerCall else { continue }
                    chunks.append(SequenceChunk(sequence: slot, tokens: Array(c[from..<(from + count)])))
                    scored[slot] = (from, count)
                    scoringRows += count
                case nil: break
                }
            }
            if chunks.isEmpty { break }
            let clock = ContinuousClock.now
            let logits = try forward(chunks, cache: cache, logits: .allOf(sequences: Set(scored.keys)))
            let elapsed = seconds(since: clock)
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
                switch work[slot]! {
                case .generating(let r, _):
                    let last = logits[row]
                    row += 1
                    if prefilled.contains(slot) {
                        // The prompt's last row predicts the first continuation token; keep only that log-prob.
                        if let first = requests[r].continuation?.first {
                            outputs[r]!.continuationLogprobs = [logSoftmax(last, at: first)]
                        }
                        if requests[r].maxNewTokens == 0 { try finishGeneration(slot: slot, request: r); continue }
                    }
                    try afterToken(slot: slot, request: r, row: last)
                case .scoring(let r, _):
                    let (from, count) = scored[slot]!
                    let c = requests[r].continuation ?? []
                    for i in 0..<count { outputs[r]!.continuationLogprobs?.append(logSoftmax(logits[row + i], at: c[from + i + 1])) }
                    row += count
                    if from + count < c.count - 1 { work[slot] = .scoring(request: r, from: from + count) }
                    else { work[slot] = nil; try onFinish(r, outputs.removeValue(forKey: r)!) }
                }
            }
        }
    }
}
