/// Which tokens of the gold output are scored after a prompt: lm-eval's rule for a loglikelihood request,
/// `encode(prompt + gold)[len(encode(prompt)):]`, scored after `encode(prompt)`. Tokenizing the two texts together
/// keeps the merges a tokenizer makes across the boundary; unlike lm-eval, trailing whitespace of the prompt is not
/// moved into the continuation, so the scored context is exactly the prompt the model generates from.
public enum GoldContinuation {
    /// `whole` is `encode(prompt + gold)`; empty when it is no longer than the prompt's ids.
    public static func tokens(promptIDs: [Int], whole: [Int]) -> [Int] {
        Array(whole.dropFirst(promptIDs.count))
    }
}
