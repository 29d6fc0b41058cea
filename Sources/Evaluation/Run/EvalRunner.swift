import Foundation

/// Where a run stands, for the progress line.
public struct EvalProgress: Sendable {
    public var dataset: String
    public var samplesDone: Int
    public var samplesTotal: Int
    public var tokensProcessed: Int
    public var elapsedSeconds: Double

    public var tokensPerSecond: Double { elapsedSeconds > 0 ? Double(tokensProcessed) / elapsedSeconds : 0 }
    public var etaSeconds: Double? {
        guard samplesDone > 0 else { return nil }
        return elapsedSeconds / Double(samplesDone) * Double(samplesTotal - samplesDone)
    }

    /// `jamp  120/800 samples  3,412 tok/s  ETA 2m05s`
    public var line: String {
        let eta = etaSeconds.map { EvalProgress.duration($0) } ?? "--"
        return "\(dataset)  \(samplesDone)/\(samplesTotal) samples  \(Int(tokensPerSecond.rounded())) tok/s  ETA \(eta)"
    }

    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}

/// The outcome of evaluating a suite with one model.
public struct EvalResult: Sendable {
    public var records: [PredictionRecord]
    public var scores: [DatasetScore]
    public var aggregate: Aggregate
    public var counters: EvalCounters
    public var wallSeconds: Double
    public var categories: [String: Double] { aggregate.categories }
    public var avg: Double? { aggregate.avg }
}

/// Evaluates every dataset of a suite with one Evaluator. Hooks let callers persist batches (the result store)
/// and resume (skip samples already stored).
public final class EvalRunner {
    public let evaluator: Evaluator
    public let datasets: [EvalDataset]
    /// Called with each finished batch before the run goes on.
    public var onBatch: ((EvalDataset, [PredictionRecord]) throws -> Void)?
    /// Sample indices already done for a dataset, with their records (so the dataset can still be scored).
    public var resume: ((EvalDataset) throws -> [PredictionRecord])?
    public var progress: ((EvalProgress) -> Void)?

    public init(evaluator: Evaluator, datasets: [EvalDataset]) {
        self.evaluator = evaluator
        self.datasets = datasets
    }

    public func run() throws -> EvalResult {
        let start = Date()
        let total = datasets.reduce(0) { $0 + $1.samples.count }
        let countersAtStart = evaluator.counters
        var resumed = 0
        var records: [PredictionRecord] = []
        var scores: [DatasetScore] = []
        for dataset in datasets {
            let previous = try resume?(dataset) ?? []
            resumed += previous.count
            let alreadyDone = resumed
            let report = progress
            evaluator.progress = { counters in
                report?(EvalProgress(
                    dataset: dataset.name, samplesDone: alreadyDone + counters.samples - countersAtStart.samples,
                    samplesTotal: total,
                    tokensProcessed: counters.promptTokens + counters.generatedTokens
                        - countersAtStart.promptTokens - countersAtStart.generatedTokens,
                    elapsedSeconds: Date().timeIntervalSince(start)))
            }
            let hook = onBatch
            let new = try evaluator.run(dataset, skip: Set(previous.map(\.index))) { batch in try hook?(dataset, batch) }
            let all = (previous + new).sorted { $0.index < $1.index }
            scores.append(try evaluator.score(dataset, records: all))
            records += all
        }
        evaluator.progress = nil
        var counters = evaluator.counters
        counters.samples -= countersAtStart.samples
        counters.promptTokens -= countersAtStart.promptTokens
        counters.generatedTokens -= countersAtStart.generatedTokens
        return EvalResult(records: records, scores: scores, aggregate: Scoring.aggregateDetailed(scores),
                          counters: counters, wallSeconds: Date().timeIntervalSince(start))
    }
}
