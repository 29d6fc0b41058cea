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
        let backend = FakeBackend()
        let evaluator = Evaluator(backend: backend, options: options)
        var batches: [[Int]] = []
        let records = try evaluator.run(dataset, skip: [1, 2]) { batches.append($0.map(\.index)) }
        #expect(batches == [[0, 3, 4, 5], [6, 7, 8, 9]])
        #expect(records.count == 8)
        #expect(backend.prefixes.count == 1)
        #expect(backend.maxNewTokensSeen.allSatisfy { $0 == 3 })
        for r in records {
            #expect(r.prompt == PromptBuilder(instruction: dataset.instruction, shots: dataset.shots).render(input: dataset.samples[r.index].input))
            #expect(r.promptTokens == r.prompt.unicodeScalars.count)
            #expect(r.prediction == PostProcessing.prediction(fromGenerated: r.generated, strip: true))
            #expect(r.gold == dataset.samples[r.index].output)
            #expect(r.metrics["exact_match"] == (r.prediction == r.gold ? 1 : 0))
        }
        #expect(evaluator.counters.samples == 8)
    }

    @Test func stopsAtBlankLine() throws {
        let dataset = try #require(try suite().first { $0.name == "jsquad" })
        let evaluator = Evaluator(backend: FakeBackend(), options: EvalOptions())
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
            let runner = EvalRunner(evaluator: Evaluator(backend: FakeBackend(), options: options), datasets: datasets)
            return try runner.run().records
        }
        let reference = try predictions(batch: 1, prefix: false)
        #expect(reference.count == 8 * 12)
        #expect(try predictions(batch: 8, prefix: true) == reference)
        #expect(try predictions(batch: 5, prefix: false) == reference)
    }

    @Test func runnerResumesAndReports() throws {
        let datasets = try suite(max: 6)
        var options = EvalOptions()
        options.batchSize = 3
        let full = try EvalRunner(evaluator: Evaluator(backend: FakeBackend(), options: options), datasets: datasets).run()
        let runner = EvalRunner(evaluator: Evaluator(backend: FakeBackend(), options: options), datasets: datasets)
        runner.resume = { d in full.records.filter { $0.dataset == d.name && $0.index < 3 } }
        var stored: [PredictionRecord] = []
        runner.onBatch = { _, batch in stored += batch }
        var lines: [EvalProgress] = []
        runner.progress = { lines.append($0) }
        let resumed = try runner.run()
        #expect(stored.count == 8 * 3 && stored.allSatisfy { $0.index >= 3 })
        #expect(resumed.records == full.records)
        #expect(resumed.scores == full.scores)
        #expect(lines.last?.samplesDone == 48 && lines.last?.samplesTotal == 48)
        #expect(full.aggregate.avg != nil && full.aggregate.categories["STS"] != nil)
    }

    @Test func reportFilesRoundTrip() throws {
        let datasets = try suite(max: 5)
        let result = try EvalRunner(evaluator: Evaluator(backend: FakeBackend(), options: EvalOptions()), datasets: datasets).run()
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let meta = RunMetadata(kasaneVersion: "test", modelPath: "m", modelFingerprint: "f", evalsetsRoot: "r", options: EvalOptions())
        try EvalReport.write(result, datasets: datasets, metadata: meta, to: dir)
        let lines = try String(contentsOfFile: dir + "/predictions.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 40)
        // Scores recomputed from the written predictions equal the written scores.
        var byDataset: [String: [(Int, String, String)]] = [:]
        for line in lines {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["dataset", "category", "index", "prompt", "prompt_tokens", "generated", "prediction", "gold"] {
                #expect(o[key] != nil, "missing \(key)")
            }
            byDataset[o["dataset"] as? String ?? "", default: []].append((o["index"] as? Int ?? -1, o["prediction"] as? String ?? "", o["gold"] as? String ?? ""))
        }
        let scores = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/scores.json"))) as? [String: Any])
        let written = try #require(scores["datasets"] as? [String: [String: Any]])
        for d in datasets {
            let rows = (byDataset[d.name] ?? []).sorted { $0.0 < $1.0 }
            let s = try Scoring.score(dataset: d.name, metrics: d.metrics, predictions: rows.map(\.1), golds: rows.map(\.2))
            let w = written[d.name]?["metrics"] as? [String: Double] ?? [:]
            for (k, v) in s.metrics { #expect(abs((w[k] ?? .nan) - v) < 1e-12, "\(d.name) \(k)") }
        }
        let meta2 = try #require(scores["metadata"] as? [String: Any])
        #expect(meta2["kasane_version"] as? String == "test")
        #expect(EvalReport.summary(result).contains("AVG"))
    }
}
