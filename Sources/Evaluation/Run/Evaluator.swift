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

    /// Evaluates the samples of `dataset` whose index is not in `skip` with continuous batching over
    /// `options.batchSize` sequences, calling `onBatch` each time `options.batchSize` samples have finished (and
    /// once with the rest): records in completion order, sorted by sample index within a call. Returns all records
    /// produced by this call, in sample order.
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
        let prompts = todo.map { builder.render(input: dataset.samples[$0].input) }
        let ids = try prompts.map { try generator.encode($0, addBOS: options.addBOS) }
        // With log-probs, each sample's gold output (as in the dataset, before NFKC) is scored after its prompt.
        let continuations = options.logprobs ? try todo.indices.map { k in
            GoldContinuation.tokens(promptIDs: ids[k], whole: try generator.encode(
                prompts[k] + dataset.samples[todo[k]].output, addBOS: options.addBOS))
        } : nil
        let stop = BlockEndCheck(generator: generator)
        var all: [PredictionRecord] = []
        var pending: [PredictionRecord] = []
        try generator.generateEach(prompts: ids, continuations: continuations, maxNewTokens: dataset.outputLength,
                                   slots: options.batchSize, prefix: prefix, shouldStop: stop.shouldStop) { k, out in
            guard k >= 0, k < todo.count else {
                throw EvaluationError.generation(dataset: dataset.name, detail: "generator finished prompt \(k) of \(todo.count)")
            }
            let index = todo[k]
            let text = try generator.decode(out.tokens)
            let prediction = PostProcessing.prediction(fromGenerated: text, strip: options.strip)
            let gold = PostProcessing.gold(dataset.samples[index].output)
            pending.append(PredictionRecord(
                index: index, promptHash: SHA256.hex(prompts[k]), promptTokens: ids[k].count,
                generated: text, prediction: prediction, gold: gold,
                metrics: Scoring.perExample(metrics: dataset.metrics, prediction: prediction, gold: gold, bleu: options.bleu),
                logprobs: Self.logprobs(out)))
            counters.samples += 1
            counters.promptTokens += ids[k].count
            counters.generatedTokens += out.tokens.count
            if pending.count >= options.batchSize {
                pending.sort { $0.index < $1.index }
                try onBatch(pending)
                all += pending
                pending.removeAll()
            }
        }
        if !pending.isEmpty {
            pending.sort { $0.index < $1.index }
            try onBatch(pending)
            all += pending
        }
        guard all.count == todo.count else {
            throw EvaluationError.generation(dataset: dataset.name, detail: "generator returned \(all.count) sequences for \(todo.count) prompts")
        }
        return all.sorted { $0.index < $1.index }
    }

    /// The sums, when the generator returned both kinds of log-probs.
    private static func logprobs(_ out: GreedyOutput) -> ExampleLogprobs? {
        guard let generated = out.tokenLogprobs, let gold = out.continuationLogprobs else { return nil }
        return ExampleLogprobs(gold: gold.reduce(0, +), goldTokens: gold.count,
                               prediction: generated.reduce(0, +), predictionTokens: generated.count)
    }
}
