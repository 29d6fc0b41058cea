import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// `kasane score` reads what Kasane itself writes (predictions.jsonl of `eval --output`, and every `export` format)
/// and gives back the stored scores; on the MT dataset that is sacrebleu's corpus BLEU of the sentences.
@Suite struct ScoreExportsTests {
    static let metrics = ["bleu_en", "char_f1", "exact_match", "comet_wmt22"]

    /// The stored value of `metric` for (step, dataset), nil when not stored.
    static func stored(_ store: ResultStore, step: Int, dataset: String, metric: String) throws -> Double? {
        let run = try store.run(named: "run")
        guard let model = try store.models(run: run.id).first(where: { $0.step == step }) else { return nil }
        return try store.scores(model: model.id).first { $0.dataset == dataset }?.metrics[metric]
    }

    static func expectStored(_ group: ScoredGroup, step: Int, store: ResultStore, file: String) throws {
        let dataset = group.score.dataset
        let metric = ["alt-j-to-e": "bleu_en", "jsquad": "char_f1", "jamp": "exact_match"][dataset] ?? "?"
        let expected = try #require(try stored(store, step: step, dataset: dataset, metric: metric), "\(file) \(dataset)")
        #expect(abs((group.score.metrics[metric] ?? .nan) - expected) < 1e-12, "\(file) \(dataset) \(metric)")
        #expect(group.score.notComputed["comet_wmt22"] != nil)
    }

    @Test func everyKasaneOutputScoresBackToTheStoredScores() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let store = try mt.evaluate(.sacrebleu, into: dir.file("a.sqlite"), checkpoints: dir)
        #expect(abs((try Self.stored(store, step: 10, dataset: "alt-j-to-e", metric: "bleu_en") ?? .nan) - mt.corpusBleu) < 1e-9)
        let run = try store.run(named: "run")

        // predictions.jsonl of `kasane eval --output` (one model).
        let model = try #require(try store.models(run: run.id).first { $0.step == 10 })
        let metadata = RunMetadata(kasaneVersion: "test", modelPath: "ckpt/step10", modelFingerprint: "f",
                                   evalsetsRoot: mt.root, options: mt.options(.sacrebleu))
        try ModelReport(store: store, model: model, datasets: mt.suite, metadata: metadata).write(to: dir.file("out"))
        let own = try PredictionScoring.score(ScoreRequest(predictions: dir.file("out/predictions.jsonl"), metrics: Self.metrics))
        #expect(own.format == .kasanePredictions && own.groups.count == 3)
        for g in own.groups { try Self.expectStored(g, step: 10, store: store, file: "predictions.jsonl") }
        #expect(abs((own.groups.first { $0.score.dataset == "alt-j-to-e" }?.score.metrics["bleu_en"] ?? .nan) - mt.corpusBleu) < 1e-9)

        // Store exports: every model and dataset of the run in one file.
        let exporter = StoreExporter(store: store, runs: [run])
        for (format, file, kind) in [(ExportFormat.jsonl, "predictions.jsonl", PredictionFileFormat.storeExportJSONL),
                                     (.csv, "predictions.csv", .storeExportCSV)] {
            try exporter.export(format, to: dir.file(format.rawValue))
            let report = try PredictionScoring.score(ScoreRequest(predictions: dir.file("\(format.rawValue)/\(file)"),
                                                                  metrics: Self.metrics))
            #expect(report.format == kind && report.groups.count == 6, "\(file)")
            for g in report.groups {
                let step = g.model?.hasSuffix("step 10") == true ? 10 : 20
                #expect(g.model == "run raw step \(step)", "\(g.model ?? "")")
                try Self.expectStored(g, step: step, store: store, file: file)
            }
        }

        // lm-eval: one folder per model, one samples file per dataset.
        let written = try exporter.export(.lmEval, to: dir.file("lm-eval"))
        let samples = written.filter { ($0 as NSString).lastPathComponent.hasPrefix("samples_") }
        #expect(samples.count == 6)
        for path in samples {
            let report = try PredictionScoring.score(ScoreRequest(predictions: path, metrics: Self.metrics))
            let group = try #require(report.groups.first)
            #expect(report.format == .lmEvalSamples && report.groups.count == 1)
            try Self.expectStored(group, step: path.contains("step10") ? 10 : 20, store: store, file: path)
        }
    }
}
