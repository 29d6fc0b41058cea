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
}

extension TextGenerator {
    /// A generator that cannot score returns its tokens without log-probabilities (stored as absent, never made up).
    public func generateScored(prompts: [[Int]], continuations: [[Int]], maxNewTokens: Int, prefix: Prefix?,
                               shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool) throws -> [GreedyOutput] {
        try generate(prompts: prompts, maxNewTokens: maxNewTokens, prefix: prefix, shouldStop: shouldStop)
            .map { GreedyOutput(tokens: $0) }
    }
}
