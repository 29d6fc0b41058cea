import Foundation
import Linalg
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

    /// Counts one finished sample.
    mutating func count(promptTokens: Int, generatedTokens: Int) {
        samples += 1
        self.promptTokens += promptTokens
        self.generatedTokens += generatedTokens
    }
}

/// What one dataset took in an `Evaluator` run.
public struct DatasetPass: Sendable, Equatable {
    /// The time from each earlier finished sample (of any dataset) to each of this dataset's, so that the
    /// datasets of one run add up to its wall time even though their samples were batched together.
    public var seconds = 0.0
    public var counters = EvalCounters()
}

/// One dataset's share of an `Evaluator` run: its samples whose index is in `skip` are left out.
public struct DatasetWork {
    public var dataset: EvalDataset
    public var skip: Set<Int>
    public init(_ dataset: EvalDataset, skip: Set<Int> = []) {
        self.dataset = dataset
        self.skip = skip
    }
}

/// Runs datasets through a model: renders prompts, generates greedily in batches, post-processes and scores each
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

    /// Evaluates the samples of `dataset` whose index is not in `skip`, calling `onBatch` each time
    /// `options.batchSize` samples have finished (and once with the rest): records sorted by sample index within a
    /// call. Returns all records produced by this call, in sample order.
    @discardableResult
    public func run(_ dataset: EvalDataset, skip: Set<Int> = [],
                    onBatch: ([PredictionRecord]) throws -> Void = { _ in }) throws -> [PredictionRecord] {
        var all: [PredictionRecord] = []
        try run([DatasetWork(dataset, skip: skip)], onBatch: { _, batch in try onBatch(batch); all += batch })
        return all.sorted { $0.index < $1.index }
    }

    /// Evaluates several datasets with continuous batching over `options.batchSize` sequences across them: a
    /// finished sequence is replaced at once by the next prompt, of the same dataset or the next one, so the batch
    /// stays full until the last dataset drains. Datasets are taken longest answers first (`takingOrder`). Each
    /// dataset's few-shot prefix is prefilled when its first prompt is taken and let go after its last one finishes.
    ///
    /// `onBatch(d, records)` gets dataset d's records each time `options.batchSize` of them have finished (and once
    /// with the rest), sorted by sample index within a call. `onDone(d, pass)` follows d's last record.
    public func run(_ work: [DatasetWork], onBatch: (_ dataset: Int, _ records: [PredictionRecord]) throws -> Void,
                    onDone: (_ dataset: Int, _ pass: DatasetPass) throws -> Void = { _, _ in }) throws {
        try options.validate()
        for w in work where w.dataset.outputLength <= 0 {
            throw EvaluationError.invalidValue(path: w.dataset.path, field: "output_length", detail: "must be > 0 (found \(w.dataset.outputLength))")
        }
        let builders = try work.map { try PromptBuilder(dataset: $0.dataset, options: options) }
        var prepared: [PreparedDataset?] = Array(repeating: nil, count: work.count)
        var origin: [(dataset: Int, k: Int)] = []   // request number → its dataset and position in that dataset's todo
        let order = Self.takingOrder(work)
        var (taken, nextK) = (0, 0)   // datasets of `order` whose prompts have all been taken; prompts taken of the next
        var openPrefix: Generator.Prefix? = nil       // the prefix of the dataset whose prompts are being taken

        func nextRequest() throws -> TextRequest<Generator.Prefix>? {
            while nextK == 0 {   // starting a dataset
                guard taken < order.count else { return nil }
                let d = order[taken]
                let p = try prepare(work[d], builder: builders[d])
                if !p.todo.isEmpty {
                    prepared[d] = p
                    openPrefix = try options.usePrefixCache
                        ? generator.makePrefix(tokens: try generator.encode(builders[d].prefix, addBOS: options.addBOS)) : nil
                    break
                }
                try onDone(d, DatasetPass())
                taken += 1
            }
            let (d, k) = (order[taken], nextK)
            let p = prepared[d]!
            let request = TextRequest(group: d, prompt: p.ids[k], maxNewTokens: work[d].dataset.outputLength,
                                      continuation: p.continuations?[k], prefix: openPrefix)
            origin.append((d, k))
            nextK += 1
            if nextK == p.todo.count { (taken, nextK, openPrefix) = (taken + 1, 0, nil) }
            return request
        }

        var pending: [[PredictionRecord]] = Array(repeating: [], count: work.count)
        var passes = [DatasetPass](repeating: DatasetPass(), count: work.count)
        var lastFinish = ContinuousClock.now
        func flush(_ d: Int) throws {
            guard !pending[d].isEmpty else { return }
            try onBatch(d, pending[d].sorted { $0.index < $1.index })
            pending[d].removeAll()
        }
        let stop = BlockEndCheck(generator: generator)
        try generator.generateEach(slots: options.batchSize, logprobs: options.logprobs, next: nextRequest,
                                   shouldStop: stop.shouldStop) { number, out in
            guard number >= 0, number < origin.count else {
                throw EvaluationError.generation(dataset: "", detail: "generator finished request \(number) of \(origin.count)")
            }
            let (d, k) = origin[number]
            guard let p = prepared[d] else {
                throw EvaluationError.generation(dataset: work[d].dataset.name, detail: "generator finished request \(number) twice")
            }
            pending[d].append(try record(of: work[d].dataset, sample: p.todo[k], prompt: p.prompts[k], ids: p.ids[k], output: out))
            let now = ContinuousClock.now
            passes[d].seconds += (now - lastFinish).seconds
            lastFinish = now
            passes[d].counters.count(promptTokens: p.ids[k].count, generatedTokens: out.tokens.count)
            counters.count(promptTokens: p.ids[k].count, generatedTokens: out.tokens.count)
            if pending[d].count >= options.batchSize { try flush(d) }
            if passes[d].counters.samples == p.todo.count {
                try flush(d)
                prepared[d] = nil
                try onDone(d, passes[d])
            }
        }
        for d in order[taken...] + work.indices.filter({ prepared[$0] != nil }) {
            throw EvaluationError.generation(dataset: work[d].dataset.name, detail: "generator finished \(passes[d].counters.samples)"
                                             + " of its prompts")
        }
    }

    /// The order datasets' prompts are taken in: longest `output_length` first (ties in the given order). The last
    /// requests of a run decode alone, a pass per token, each pass reading every weight for a few rows; ending on
    /// the datasets with the shortest answers (NLI labels) keeps that tail a few tokens long, where ending on
    /// jsquad's 25 tokens took 15 such passes at 16 slots. The order changes no prediction (every row comes out as
    /// if alone) and no record (each dataset's are reported under its own index).
    static func takingOrder(_ work: [DatasetWork]) -> [Int] {
        work.indices.sorted { (work[$0].dataset.outputLength, $1) > (work[$1].dataset.outputLength, $0) }
    }

    /// A dataset's prompts, ready for the generator.
    private struct PreparedDataset {
        /// Indices of the samples to evaluate.
        let todo: [Int]
        let prompts: [String]
        let ids: [[Int]]
        /// With log-probs, each sample's gold output (as in the dataset, before NFKC), scored after its prompt.
        let continuations: [[Int]]?
    }

    private func prepare(_ work: DatasetWork, builder: PromptBuilder) throws -> PreparedDataset {
        let samples = work.dataset.samples
        let todo = samples.indices.filter { !work.skip.contains($0) }
        let prompts = todo.map { builder.render(input: samples[$0].input) }
        let ids = try prompts.map { try generator.encode($0, addBOS: options.addBOS) }
        let continuations = options.logprobs ? try todo.indices.map { k in
            GoldContinuation.tokens(promptIDs: ids[k], whole: try generator.encode(
                prompts[k] + samples[todo[k]].output, addBOS: options.addBOS))
        } : nil
        return PreparedDataset(todo: todo, prompts: prompts, ids: ids, continuations: continuations)
    }

    /// The stored record of one finished sample.
    private func record(of dataset: EvalDataset, sample index: Int, prompt: String, ids: [Int],
                        output out: GreedyOutput) throws -> PredictionRecord {
        let text = try generator.decode(out.tokens)
        let prediction = PostProcessing.prediction(fromGenerated: text, strip: options.strip)
        let gold = PostProcessing.gold(dataset.samples[index].output)
        return PredictionRecord(
            index: index, promptHash: SHA256.hex(prompt), promptTokens: ids.count,
            generated: text, prediction: prediction, gold: gold,
            metrics: Scoring.perExample(metrics: dataset.metrics, prediction: prediction, gold: gold, bleu: options.bleu),
            logprobs: Self.logprobs(out))
    }

    /// The sums, when the generator returned both kinds of log-probs.
    private static func logprobs(_ out: GreedyOutput) -> ExampleLogprobs? {
        guard let generated = out.tokenLogprobs, let gold = out.continuationLogprobs else { return nil }
        return ExampleLogprobs(gold: gold.reduce(0, +), goldTokens: gold.count,
                               prediction: generated.reduce(0, +), predictionTokens: generated.count)
    }
}
