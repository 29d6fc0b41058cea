import Foundation
import Testing
@testable import Evaluation

/// The generation run's plumbing with a deterministic stand-in model.
struct EvaluatorTests {
    func suite(max: Int = 10) throws -> [EvalDataset] {
        guard let root = TestPaths.evalsetsReal else { throw FixtureError.malformed("shared/evalsets-real") }
        var options = EvalOptions()
        options.maxSamples = max
        return try loadEvalSuite(root: root, options: options)
    }

    @Test func batchesSkipAndCallbacks() throws {
        let dataset = try #require(try suite().first { $0.name == "jamp" })
        var options = EvalOptions()
        options.batchSize = 4
        let backend = FakeGenerator()
        let evaluator = Evaluator(generator: backend, options: options)
        var batches: [[Int]] = []
        let records = try evaluator.run(dataset, skip: [1, 2]) { batches.append($0.map(\.index)) }
        #expect(batches == [[0, 3, 4, 5], [6, 7, 8, 9]])
        #expect(records.count == 8)
        #expect(backend.prefixes.count == 1)
        #expect(backend.maxNewTokensSeen.allSatisfy { $0 == 3 })
        for r in records {
            let prompt = PromptBuilder(instruction: dataset.instruction, shots: dataset.shots).render(input: dataset.samples[r.index].input)
            #expect(r.promptHash == SHA256.hex(prompt))
            #expect(r.promptTokens == prompt.unicodeScalars.count)
            #expect(r.prediction == PostProcessing.prediction(fromGenerated: r.generated, strip: true))
            #expect(r.gold == dataset.samples[r.index].output)
            #expect(r.metrics["exact_match"] == (r.prediction == r.gold ? 1 : 0))
        }
        #expect(evaluator.counters.samples == 8)
    }

    @Test func stopsAtBlankLine() throws {
        let dataset = try #require(try suite().first { $0.name == "jsquad" })
        let evaluator = Evaluator(generator: FakeGenerator(), options: EvalOptions())
        let records = try evaluator.run(dataset)
        for r in records {
            // Generation ends at the first "\n\n", so it can only appear at the very end.
            if let range = r.generated.range(of: "\n\n") { #expect(range.upperBound == r.generated.endIndex) }
        }
    }

    @Test func identicalAcrossBatchSizesAndPrefixCache() throws {
        let datasets = try suite(max: 12)
        func predictions(batch: Int, prefix: Bool) throws -> [PredictionRecord] {
            var options = EvalOptions()
            options.batchSize = batch
            options.usePrefixCache = prefix
            let evaluator = Evaluator(generator: FakeGenerator(), options: options)
            return try datasets.flatMap { try evaluator.run($0) }
        }
        let reference = try predictions(batch: 1, prefix: false)
        #expect(reference.count == 8 * 12)
        #expect(try predictions(batch: 8, prefix: true) == reference)
        #expect(try predictions(batch: 5, prefix: false) == reference)
    }

    /// Several datasets in one run are taken longest answers first, ties in the given order, and each dataset's
    /// records are still reported under its own index, as when it runs alone.
    @Test func datasetsTakenLongestAnswersFirst() throws {
        let datasets = try suite(max: 5)
        let work = datasets.map { DatasetWork($0) }
        let order = Evaluator<FakeGenerator>.takingOrder(work)
        let lengths = order.map { datasets[$0].outputLength }
        #expect(Set(order) == Set(datasets.indices) && lengths == lengths.sorted(by: >))
        for (a, b) in zip(order, order.dropFirst()) where datasets[a].outputLength == datasets[b].outputLength {
            #expect(a < b)
        }
        #expect(datasets[order[0]].name == "jsquad")

        let backend = FakeGenerator()
        let evaluator = Evaluator(generator: backend, options: EvalOptions())
        var together = [[PredictionRecord]](repeating: [], count: datasets.count)
        var done: [Int] = []
        try evaluator.run(work, onBatch: { together[$0] += $1 }, onDone: { d, _ in done.append(d) })
        #expect(backend.prefixes.first == (try PromptBuilder(dataset: datasets[order[0]], options: EvalOptions())
            .prefix.unicodeScalars.map { Int($0.value) }))
        #expect(Set(done) == Set(datasets.indices))
        for d in datasets.indices {
            #expect(together[d] == (try Evaluator(generator: FakeGenerator(), options: EvalOptions()).run(datasets[d])))
        }
    }

    @Test func scoresAndAggregate() throws {
        let datasets = try suite(max: 6)
        let evaluator = Evaluator(generator: FakeGenerator(), options: EvalOptions())
        let scores = try datasets.map { try Scoring.score($0, records: try evaluator.run($0), bleu: .sacrebleu) }
        let aggregate = Scoring.aggregate(scores)
        #expect(aggregate.avg != nil && aggregate.categories["STS"] != nil)
        #expect(aggregate.values["AVG"] == aggregate.avg)
        // An incomplete record set is refused, not scored.
        #expect(throws: EvaluationError.self) { try Scoring.score(datasets[0], records: [], bleu: .sacrebleu) }
    }
}
