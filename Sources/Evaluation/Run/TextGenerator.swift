import Llama

/// One prompt for `generateEach`. Requests of one `group` (a dataset) share `maxNewTokens` and `prefix`.
public struct TextRequest<Prefix> {
    public var group: Int
    public var prompt: [Int]
    public var maxNewTokens: Int
    /// Scored teacher-forced after the prompt when log-probabilities are asked for.
    public var continuation: [Int]?
    public var prefix: Prefix?
    public init(group: Int, prompt: [Int], maxNewTokens: Int, continuation: [Int]?, prefix: Prefix?) {
        self.group = group; self.prompt = prompt; self.maxNewTokens = maxNewTokens
        self.continuation = continuation; self.prefix = prefix
    }
}

/// What the `Evaluator` needs from a model and its tokenizer. `LlamaGenerator` is the real one; tests put any
/// deterministic model behind it. `Prefix` is the generator's own prefilled-prefix type, so a prefix made by one
/// generator can only be handed back to a generator of the same type.
public protocol TextGenerator: AnyObject {
    associatedtype Prefix
    /// Token ids of `text`; with `addBOS` the tokenizer's special tokens (BOS) are added.
    func encode(_ text: String, addBOS: Bool) throws -> [Int]
    /// Text of generated ids, special tokens skipped.
    func decode(_ ids: [Int]) throws -> String
    /// Prefills `tokens` once so that `generate` can reuse the longest common prefix with each prompt.
    func makePrefix(tokens: [Int]) throws -> Prefix
    /// Greedy decoding of all prompts as one batch: up to `maxNewTokens` each, stopping a sequence at EOS or when
    /// `shouldStop(sequence, generatedSoFar)` says so. Returns the generated ids (a final EOS may be included;
    /// `decode` skips special tokens).
    func generate(prompts: [[Int]], maxNewTokens: Int, prefix: Prefix?,
                  shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool) throws -> [[Int]]
    /// As `generate`, also returning each generated id's log-probability and, per prompt, the teacher-forced
    /// log-probabilities of `continuations[i]` right after it (in the same pass, reusing `prefix`).
    func generateScored(prompts: [[Int]], continuations: [[Int]], maxNewTokens: Int, prefix: Prefix?,
                        shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool) throws -> [GreedyOutput]
    /// Continuous batching over `slots` sequences: `next()` is asked for requests (numbered from 0 in the order it
    /// returns them) until it returns nil; each is generated as `generate` would (with `logprobs`, every request has
    /// a continuation and is generated as `generateScored` would), and `onFinish(i, output)` is called as soon as
    /// request i is done, in completion order.
    func generateEach(slots: Int, logprobs: Bool, next: () throws -> TextRequest<Prefix>?,
                      shouldStop: (_ request: Int, _ generated: [Int]) -> Bool,
                      onFinish: (_ request: Int, _ output: GreedyOutput) throws -> Void) throws
}

extension TextGenerator {
    /// A generator without a scheduler runs fixed batches of up to `slots` requests of one group.
    public func generateEach(slots: Int, logprobs: Bool, next: () throws -> TextRequest<Prefix>?,
                             shouldStop: (_ request: Int, _ generated: [Int]) -> Bool,
                             onFinish: (_ request: Int, _ output: GreedyOutput) throws -> Void) throws {
        var upcoming = try next()
        var base = 0
        while let first = upcoming {
            var batch = [first]
            upcoming = try next()
            while batch.count < slots, let r = upcoming, r.group == first.group {
                batch.append(r)
                upcoming = try next()
            }
            let prompts = batch.map(\.prompt)
            let offset = base
            let stop = { (k: Int, generated: [Int]) in shouldStop(offset + k, generated) }
            let outputs: [GreedyOutput]
            if logprobs {
                outputs = try generateScored(prompts: prompts, continuations: batch.map { $0.continuation ?? [] },
                                             maxNewTokens: first.maxNewTokens, prefix: first.prefix, shouldStop: stop)
            } else {
                outputs = try generate(prompts: prompts, maxNewTokens: first.maxNewTokens, prefix: first.prefix,
                                       shouldStop: stop).map { GreedyOutput(tokens: $0) }
            }
            guard outputs.count == batch.count else {
                throw EvaluationError.generation(dataset: "", detail: "generator returned \(outputs.count) sequences for \(batch.count) prompts")
            }
            for (k, out) in outputs.enumerated() { try onFinish(base + k, out) }
            base += batch.count
        }
    }

    /// A generator that cannot score returns its tokens without log-probabilities (stored as absent, never made up).
    public func generateScored(prompts: [[Int]], continuations: [[Int]], maxNewTokens: Int, prefix: Prefix?,
                               shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool) throws -> [GreedyOutput] {
        try generate(prompts: prompts, maxNewTokens: maxNewTokens, prefix: prefix, shouldStop: shouldStop)
            .map { GreedyOutput(tokens: $0) }
    }
}
