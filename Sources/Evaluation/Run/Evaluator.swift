import Foundation
import Llama

/// Counts for throughput reporting.
public struct EvalCounters: Sendable, Codable, Equatable {
    /// Samples finished.
    public var samples = 0
    /// Prompt tokens of finished samples (each counted whole, whether or not the prefix cache served part of it).
    public var promptTokens = 0
    /// Tokens generated.
    public var generatedTokens = 0
    public init() {}
}

/// Runs one dataset through a model: renders prompts, generates greedily in batches, post-processes and scores each
/// sample, and hands every finished batch of records to the caller.
public final class Evaluator<Generator: TextGenerator> {
    public let generator: Generator
    public let options: EvalOptions
    public private(set) var counters = EvalCounters()

    public init(generator: Generator, options: EvalOptions) {
        self.generator = generator
        self.options = options
    }

    /// The prompt of every sample of `dataset`, in order (what `run` feeds the model).
    public func prompts(for dataset: EvalDataset) throws -> [String] {
        let builder = try PromptBuilder(dataset: dataset, options: options)
        return dataset.samples.map { builder.render(input: $0.input) }
    }

    /// Evaluates the samples of `dataset` whose index is not in `skip`, `options.batchSize` at a time, calling
    /// `onBatch` with each finished batch (in sample order). Returns all records produced by this call.
    @discardableResult
    public func run(_ dataset: EvalDataset, skip: Set<Int> = [],
                    onBatch: ([PredictionRecord]) throws -> Void = { _ in }) throws -> [PredictionRecord] {
        guard options.batchSize >= 1 else {
            throw EvaluationError.invalidValue(path: "--batch-size", field: "batch_size", detail: "must be ≥ 1 (found \(options.batchSize))")
        }
        guard dataset.outputLength > 0 else {
            throw EvaluationError.invalidValue(path: dataset.path, field: "output_length", detail: "must be > 0 (found \(dataset.outputLength))")
        }
        let builder = try PromptBuilder(dataset: dataset, options: options)
        var prefix: Generator.Prefix? = nil
        if options.usePrefixCache {
            prefix = try generator.makePrefix(tokens: try generator.encode(builder.prefix, addBOS: options.addBOS))
        }
        let todo = dataset.samples.indices.filter { !skip.contains($0) }
        var all: [PredictionRecord] = []
        var start = 0
        while start < todo.count {
            let indices = Array(todo[start..<min(start + options.batchSize, todo.count)])
            start += indices.count
            let prompts = indices.map { builder.render(input: dataset.samples[$0].input) }
            let ids = try prompts.map { try generator.encode($0, addBOS: options.addBOS) }
            let generated = try generateBatch(ids, prompts: prompts, golds: indices.map { dataset.samples[$0].output },
                                              maxNewTokens: dataset.outputLength, prefix: prefix)
            guard generated.count == indices.count else {
                throw EvaluationError.generation(dataset: dataset.name, detail: "generator returned \(generated.count) sequences for \(indices.count) prompts")
            }
            var batch: [PredictionRecord] = []
            for (k, index) in indices.enumerated() {
                let out = generated[k]
                let text = try generator.decode(out.tokens)
                let prediction = PostProcessing.prediction(fromGenerated: text, strip: options.strip)
                let gold = PostProcessing.gold(dataset.samples[index].output)
                batch.append(PredictionRecord(
                    index: index, promptHash: SHA256.hex(prompts[k]), promptTokens: ids[k].count,
                    generated: text, prediction: prediction, gold: gold,
                    metrics: Scoring.perExample(metrics: dataset.metrics, prediction: prediction, gold: gold, bleu: options.bleu),
                    logprobs: Self.logprobs(out)))
                counters.samples += 1
                counters.promptTokens += ids[k].count
                counters.generatedTokens += out.tokens.count
            }
            try onBatch(batch)
            all += batch
        }
        return all
    }

    /// Stopping once "\n\n" appears cannot change the prediction (text after it is discarded). With log-probs, each
    /// sample's gold output (as in the dataset, before NFKC) is scored after its prompt in the same pass.
    private func generateBatch(_ ids: [[Int]], prompts: [String], golds: [String], maxNewTokens: Int,
                               prefix: Generator.Prefix?) throws -> [GreedyOutput] {
        guard options.logprobs else {
            return try generator.generate(prompts: ids, maxNewTokens: maxNewTokens, prefix: prefix, shouldStop: stopCheck)
                .map { GreedyOutput(tokens: $0) }
        }
        let continuations = try zip(ids, zip(prompts, golds)).map { promptIDs, texts in
            GoldContinuation.tokens(promptIDs: promptIDs,
                                    whole: try generator.encode(texts.0 + texts.1, addBOS: options.addBOS))
        }
        return try generator.generateScored(prompts: ids, continuations: continuations, maxNewTokens: maxNewTokens,
                                            prefix: prefix, shouldStop: stopCheck)
    }

    /// The sums, when the generator returned both kinds of log-probs.
    private static func logprobs(_ out: GreedyOutput) -> ExampleLogprobs? {
        guard let generated = out.tokenLogprobs, let gold = out.continuationLogprobs else { return nil }
        return ExampleLogprobs(gold: gold.reduce(0, +), goldTokens: gold.count,
                               prediction: generated.reduce(0, +), predictionTokens: generated.count)
    }

    private func stopCheck(_ sequence: Int, _ tokens: [Int]) -> Bool {
        guard let text = try? generator.decode(tokens) else { return false }
        return PostProcessing.containsBlockEnd(text)
    }
}
