/// What the Evaluator needs from a model and its tokenizer. `LlamaBackend` adapts `LlamaModel` + `Tokenizer`;
/// tests can put any deterministic model behind it.
public protocol GenerationBackend: AnyObject {
    /// Token ids of `text`; with `addBOS` the tokenizer's special tokens (BOS) are added.
    func encode(_ text: String, addBOS: Bool) throws -> [Int]
    /// Text of generated ids, special tokens skipped.
    func decode(_ ids: [Int]) throws -> String
    /// Prefills `tokens` once so that `generate` can reuse the longest common prefix with each prompt.
    func makePrefix(tokens: [Int]) throws -> PrefixHandle
    /// Greedy decoding of all prompts as one batch: up to `maxNewTokens` each, stopping a sequence at EOS or when
    /// `shouldStop(sequence, generatedSoFar)` says so. Returns the generated ids (a final EOS may be included;
    /// `decode` skips special tokens).
    func generate(prompts: [[Int]], maxNewTokens: Int, prefix: PrefixHandle?,
                  shouldStop: (_ sequence: Int, _ generated: [Int]) -> Bool) throws -> [[Int]]
}

/// A prefilled prefix as the backend keeps it.
public final class PrefixHandle: @unchecked Sendable {
    public let tokens: [Int]
    public let payload: Any
    public init(tokens: [Int], payload: Any) { self.tokens = tokens; self.payload = payload }
}
