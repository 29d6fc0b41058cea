import Llama
import Tokenizers

/// `TextGenerator` over a `LlamaModel` and its `Tokenizer`; its prefix is the model's `PrefixCache`.
public final class LlamaGenerator: TextGenerator {
    public let model: LlamaModel
    public let tokenizer: Tokenizer
    /// Generation stops at these ids: the model's `eos_token_id`s and the tokenizer's EOS.
    public let eosTokenIds: Set<Int>
    /// Where the time went, summed over every `generate` call.
    public private(set) var stats = GenerationStats()

    /// Fails when the tokenizer can produce ids the model has no embedding for.
    public init(model: LlamaModel, tokenizer: Tokenizer) throws {
        guard tokenizer.vocabSize <= model.config.vocabSize else {
            throw EvaluationError.vocabularyMismatch(tokenizerVocab: tokenizer.vocabSize, modelVocab: model.config.vocabSize)
        }
        self.model = model
        self.tokenizer = tokenizer
        var eos = Set(model.config.eosTokenIds)
        if let e = tokenizer.eosTokenId { eos.insert(e) }
        eosTokenIds = eos
    }

    public func encode(_ text: String, addBOS: Bool) throws -> [Int] {
        try tokenizer.encode(text, addSpecialTokens: addBOS)
    }

    /// Ids past the tokenizer's vocabulary (LLM-jp pads the embedding matrix) decode to nothing, as in HF tokenizers.
    public func decode(_ ids: [Int]) throws -> String {
        let limit = tokenizer.vocabSize
        return try tokenizer.decode(ids.filter { $0 >= 0 && $0 < limit }, skipSpecialTokens: true)
    }

    public func makePrefix(tokens: [Int]) throws -> PrefixCache {
        try PrefixCache(model: model, tokens: tokens)
    }

    public func generate(prompts: [[Int]], maxNewTokens: Int, prefix: PrefixCache?,
                         shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] {
        let requests = prompts.map { GreedyRequest(prompt: $0, maxNewTokens: maxNewTokens) }
        return try model.generateGreedy(requests, prefix: prefix, eosTokenIds: eosTokenIds, stats: &stats,
                                        shouldStop: shouldStop)
    }

    public func generateScored(prompts: [[Int]], continuations: [[Int]], maxNewTokens: Int, prefix: PrefixCache?,
                               shouldStop: (Int, [Int]) -> Bool) throws -> [GreedyOutput] {
        let requests = zip(prompts, continuations).map {
            GreedyRequest(prompt: $0, maxNewTokens: maxNewTokens, continuation: $1)
        }
        return try model.generateGreedy(requests, prefix: prefix, eosTokenIds: eosTokenIds, logprobs: true,
                                        stats: &stats, shouldStop: shouldStop)
    }

    public func generateEach(slots: Int, logprobs: Bool, next: () throws -> TextRequest<PrefixCache>?,
                             shouldStop: (Int, [Int]) -> Bool, onFinish: (Int, GreedyOutput) throws -> Void) throws {
        try model.generateContinuously(slots: slots, eosTokenIds: eosTokenIds, logprobs: logprobs, stats: &stats, next: {
            try next().map { PrefixedRequest(GreedyRequest(prompt: $0.prompt, maxNewTokens: $0.maxNewTokens,
                                                           continuation: $0.continuation), prefix: $0.prefix) }
        }, shouldStop: shouldStop, onFinish: onFinish)
    }
}
