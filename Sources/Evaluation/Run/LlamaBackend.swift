import Llama
import Tokenizers

/// `GenerationBackend` over a `LlamaModel` and its `Tokenizer`.
public final class LlamaBackend: GenerationBackend {
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

    public func makePrefix(tokens: [Int]) throws -> PrefixHandle {
        PrefixHandle(tokens: tokens, payload: try PrefixCache(model: model, tokens: tokens))
    }

    public func generate(prompts: [[Int]], maxNewTokens: Int, prefix: PrefixHandle?,
                         shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] {
        let requests = prompts.map { GreedyRequest(prompt: $0, maxNewTokens: maxNewTokens) }
        return try model.generateGreedy(requests, prefix: prefix?.payload as? PrefixCache, eosTokenIds: eosTokenIds,
                                        stats: &stats, shouldStop: shouldStop)
    }
}

extension Evaluator {
    /// An evaluator over a LLaMA model; fails when the tokenizer's vocabulary exceeds the model's.
    public convenience init(model: LlamaModel, tokenizer: Tokenizer, options: EvalOptions) throws {
        self.init(backend: try LlamaBackend(model: model, tokenizer: tokenizer), options: options)
    }
}

extension LlamaBackend {
    /// Loads a checkpoint folder and its tokenizer (`tokenizer.json` in the folder unless `tokenizerPath` is given).
    public static func load(modelDirectory: String, tokenizerPath: String? = nil) throws -> LlamaBackend {
        let model = try LlamaModel(directory: modelDirectory)
        let tokenizer = try Tokenizer.load(path: tokenizerPath ?? modelDirectory)
        return try LlamaBackend(model: model, tokenizer: tokenizer)
    }
}
