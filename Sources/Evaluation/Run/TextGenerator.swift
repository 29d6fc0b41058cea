import Llama

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
    /// Continuous batching over `slots` sequences: every prompt is generated as `generate` (with `continuations`, as
    /// `generateScored`) would, and `onFinish(i, output)` is called for prompt i as soon as it is done, in
    /// completion order.
    func generateEach(prompts: [[Int]], continuations: [[Int]]?, maxNewTokens: Int, slots: Int, prefix: Prefix?,
                      shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool,
                      onFinish: (_ sequence: Int, _ output: GreedyOutput) throws -> Void) throws
}

extension TextGenerator {
    /// A generator without a scheduler runs fixed batches of `slots` prompts.
    public func generateEach(prompts: [[Int]], continuations: [[Int]]?, maxNewTokens: Int, slots: Int,
                             prefix: Prefix?, shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool,
                             onFinish: (_ sequence: Int, _ output: GreedyOutput) throws -> Void) throws {
        var start = 0
        while start < prompts.count {
            let range = start..<min(start + max(1, slots), prompts.count)
            let stop = { (k: Int, generated: [Int]) in shouldStop(range.lowerBound + k, generated) }
            let outputs: [GreedyOutput]
            if let continuations {
                outputs = try generateScored(prompts: Array(prompts[range]), continuations: Array(continuations[range]),
                                             maxNewTokens: maxNewTokens, prefix: prefix, shouldStop: stop)
            } else {
                outputs = try generate(prompts: Array(prompts[range]), maxNewTokens: maxNewTokens, prefix: prefix,
                                       shouldStop: stop).map { GreedyOutput(tokens: $0) }
            }
            guard outputs.count == range.count else {
                throw EvaluationError.generation(dataset: "", detail: "generator returned \(outputs.count) sequences for \(range.count) prompts")
            }
            for (k, out) in outputs.enumerated() { try onFinish(range.lowerBound + k, out) }
            start = range.upperBound
        }
    }

    /// A generator that cannot score returns its tokens without log-probabilities (stored as absent, never made up).
    public func generateScored(prompts: [[Int]], continuations: [[Int]], maxNewTokens: Int, prefix: Prefix?,
                               shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool) throws -> [GreedyOutput] {
        try generate(prompts: prompts, maxNewTokens: maxNewTokens, prefix: prefix, shouldStop: shouldStop)
            .map { GreedyOutput(tokens: $0) }
    }
}
