import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// Ensemble recording and the stability runner against a real SQLite store holding hand-built predictions.
@Suite struct StoreIntegrationTests {
    /// Six raw checkpoints (steps 1…6 ×100); jnli (NLI, exact match, 2 examples) and niilc (QA, char_f1, 1 example).
    static func makeStore(_ path: String) throws -> (ResultStore, StoredRun) {
        let store = try ResultStore(path: path)
        let run = try store.openRun(name: "toy", source: "/toy", settings: StoreSettings(["shots": "4"]))
        let jnli = try store.registerDataset(DatasetSpec(name: "jnli", contentHash: "h1", category: "NLI",
                                                         metrics: ["exact_match"], inputs: ["q0", "q1"]))
        let niilc = try store.registerDataset(DatasetSpec(name: "niilc", contentHash: "h2", category: "QA",
                                                          metrics: ["char_f1"], inputs: ["q"]))
        try store.planDatasets(run: run.id, [(jnli.id, 2), (niilc.id, 1)])
        let e0 = ["entailment", "neutral", "entailment", "neutral", "neutral", "entailment"]  // gold entailment
        let e1 = ["neutral", "neutral", "contradiction", "contradiction", "neutral", "contradiction"]  // gold contradiction
        let q = ["東京", "東京", "大阪", "東京", "大阪", "東京"]  // gold 東京
        for t in 0..<6 {
            let model = try store.registerModel(.raw(step: (t + 1) * 100, fingerprint: "fp\(t)", path: "/toy/\(t)"),
                                                run: run.id)
            let p0 = PredictionRecord(index: 0, promptHash: "a", promptTokens: 5, generated: e0[t] + "\n\n",
                                      prediction: e0[t], gold: "entailment",
                                      metrics: ["exact_match": e0[t] == "entailment" ? 1 : 0])
            let p1 = PredictionRecord(index: 1, promptHash: "b", promptTokens: 5, generated: e1[t],
                                      prediction: e1[t], gold: "contradiction",
                                      metrics: ["exact_match": e1[t] == "contradiction" ? 1 : 0])
            try store.insertPredictions([p0, p1], model: model.id, dataset: jnli.id)
            let jnliMain = ((e0[t] == "entailment" ? 1.0 : 0) + (e1[t] == "contradiction" ? 1.0 : 0)) / 2
            try store.setScore(DatasetScore(dataset: "jnli", category: "NLI", metrics: ["exact_match": jnliMain],
                                           mainMetric: "exact_match", main: jnliMain, sampleCount: 2),
                               model: model.id, dataset: jnli.id)
            let f1 = q[t] == "東京" ? 1.0 : 0.0  // token_sort_ratio of disjoint two-character strings is 0
            try store.insertPredictions([PredictionRecord(index: 0, promptHash: "c", promptTokens: 3, generated: q[t],
                                                          prediction: q[t], gold: "東京", metrics: ["char_f1": f1])],
                                        model: model.id, dataset: niilc.id)
            try store.setScore(DatasetScore(dataset: "niilc", category: "QA", metrics: ["char_f1": f1],
                                           mainMetric: "char_f1", main: f1, sampleCount: 1),
                               model: model.id, dataset: niilc.id)
        }
        return (store, run)
    }

    @Test func leftOutDatasetsPrintByName() {
        #expect(LoadedTrajectory.leftOutLines(["jsquad": "no score at step 300", "jnli": "missing at step 100"])
                == ["left out jnli: missing at step 100", "left out jsquad: no score at step 300"])
    }

    @Test func ensembleEntriesAreStoredAndReadBack() throws {
        let dir = try TempDir(); defer { dir.cleanup() }   // the store, -wal and -shm
        let path = dir.file("store.sqlite")
        let (store, run) = try Self.makeStore(path)
        if let keep = ProcessInfo.processInfo.environment["KASANE_KEEP_STORE"] {  // for trying the CLI by hand
            for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
                try? FileManager.default.removeItem(atPath: keep + suffix)
                try FileManager.default.copyItem(atPath: path + suffix, toPath: keep + suffix)
            }
        }
        let raw = try StoreTrajectoryLoader.load(store: store, run: run.id)
        #expect(raw.table.steps == [100, 200, 300, 400, 500, 600] && raw.excluded.isEmpty)
        let result = try EnsembleBuilder.build(raw: raw.table, window: CheckpointWindow(size: 3),
                                               scorer: ScoringRescorer())
        let models = try EnsembleRecorder.record(result, raw: raw, store: store, run: run.id)
        #expect(models.map(\.step) == [300, 400, 500, 600])
        #expect(models.allSatisfy { $0.kind == .ensemble && $0.spec.window == 3 && $0.spec.align == "trailing" })
        #expect(models[0].spec.members == [100, 200, 300])
        // Votes, worked out by hand (ties to the newest member):
        // e0 windows: {e,n,e}→e, {n,e,n}→n, {e,n,n}→n, {n,n,e}→n
        // e1 windows: {n,n,c}→n, {n,c,c}→c, {c,c,n}→c, {c,n,c}→c
        // q  windows: {東,東,大}→東, {東,大,東}→東, {大,東,大}→大, {東,大,東}→東
        let jnli = try #require(try store.datasets(run: run.id).first { $0.name == "jnli" })
        let votedAt400 = try store.predictions(model: models[1].id, dataset: jnli.id)
        #expect(votedAt400.map(\.prediction) == ["neutral", "contradiction"])
        // The generated text is the newest winning member's (step 400 here).
        #expect(votedAt400[0].generated == "neutral\n\n" && votedAt400[0].metrics["exact_match"] == 0)
        let jnliScores = try models.map { m in try store.scores(model: m.id).first { $0.dataset == "jnli" }?.main }
        #expect(jnliScores == [0.5, 0.5, 0.5, 0.5])
        let qa = try models.map { m in try store.scores(model: m.id).first { $0.dataset == "niilc" }?.main }
        #expect(qa == [1, 1, 0, 1])
        // AVG = mean of NLI and QA.
        #expect(try store.aggregates(model: models[2].id)["AVG"] == 0.25)

        // Stored ensembles are read back as a trajectory; the runner compares them with raw on the same positions.
        let request = StabilityRequest(span: .all, windows: [1, 3])
        let stability = try StabilityRunner.run(store: store, request: request, scorer: nil)
        #expect(stability.ensembles[3]?.steps == [300, 400, 500, 600])
        let ensembleRow = try #require(stability.sweep.first { $0.method == .ensemble && $0.window == 3 })
        let rawRow = try #require(stability.sweep.first { $0.method == .raw && $0.window == 3 })
        #expect(ensembleRow.summary.steps == rawRow.summary.steps)
        // jnli ensemble S_D = [.5,.5,.5,.5] → aggregate MTV 0; raw at 300…600: [1, .5, 0, 1] → (0.5+0.5+1)/3.
        let ensJnli = ensembleRow.summary.datasets.first { $0.name == "jnli" }?.metrics
        let rawJnli = rawRow.summary.datasets.first { $0.name == "jnli" }?.metrics
        #expect(ensJnli?.aggregateMTV == 0)
        #expect(close(rawJnli?.aggregateMTV, 2.0 / 3))
        // Ties: e0 at 300 and 400 have a strict majority; 3-member windows of two answers always do.
        #expect(ensembleRow.tieBreakFraction?["jnli"] == 0)
    }

    @Test func metricSimilarityUsesTheDatasetMetric() throws {
        let series = DatasetSeries(dataset: "niilc", category: "QA", mainMetric: "char_f1", scores: [0, 0],
                                   examples: [])
        guard case let .metric(_, function) = MetricSimilarity.similarity else {
            Issue.record("not a metric similarity")
            return
        }
        #expect(function(series, "東京", "東京") == 1)
        #expect(function(series, "東京", "大阪") == 0)
        let partial = function(series, "東京都", "東京")
        #expect(partial > 0 && partial < 1)
        let pearson = DatasetSeries(dataset: "jsts", category: "STS", mainMetric: "pearson", scores: [], examples: [])
        #expect(function(pearson, "1.0", "1.00") == 0)  // no pairwise form: exact equality
    }
}
