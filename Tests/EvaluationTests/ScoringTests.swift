import Foundation
import Testing
@testable import Evaluation

/// Whole-dataset scores and the category/AVG aggregation against the llm-jp-eval formulas (fixture).
struct ScoringTests {
    @Test func datasetScoresAndAggregateMatchReference() throws {
        let fixture = try TestPaths.fixture("scoring.json")
        let datasets = fixture["datasets"] as? [[String: Any]] ?? []
        #expect(datasets.count == 14)
        var byStrip: [Bool: [DatasetScore]] = [:]
        for d in datasets {
            let name = d["dataset"] as? String ?? "", strip = d["strip"] as? Bool ?? true
            let generated = d["generated"] as? [String] ?? [], golds = d["golds"] as? [String] ?? []
            let metrics = d["metrics"] as? [String] ?? []
            let preds = generated.map { PostProcessing.prediction(fromGenerated: $0, strip: strip) }
            let score = try Scoring.score(dataset: name, metrics: metrics, predictions: preds, golds: golds.map(PostProcessing.gold))
            for (metric, want) in d["scores"] as? [String: Double] ?? [:] {
                #expect(abs((score.metrics[metric] ?? .nan) - want) < 1e-12, "\(name) \(metric) strip=\(strip)")
            }
            byStrip[strip, default: []].append(score)
        }
        let agg = fixture["aggregate"] as? [String: [String: Any]] ?? [:]
        for (strip, key) in [(true, "strip"), (false, "nostrip")] {
            let want = agg[key] ?? [:]
            let got = Scoring.aggregate(byStrip[strip] ?? [])
            let wantCats = want["categories"] as? [String: Double] ?? [:]
            #expect(Set(got.categories.keys) == Set(wantCats.keys).union(["STS"]))
            for (c, v) in wantCats { #expect(abs((got.categories[c] ?? .nan) - v) < 1e-12, "\(c)") }
            #expect(abs((got.avg ?? .nan) - (want["avg"] as? Double ?? .nan)) < 1e-12)
        }
    }

    @Test func notComputedMetricsAreNeverSubstituted() throws {
        let s = try Scoring.score(dataset: "alt-e-to-j", metrics: ["bert_score_ja_f1", "comet_wmt22"],
                                  predictions: ["猫"], golds: ["猫"])
        #expect(s.metrics.isEmpty)
        #expect(Set(s.notComputed.keys) == ["bert_score_ja_f1", "comet_wmt22"])
        #expect(s.main == nil)
        let compat = try Scoring.score(dataset: "alt-e-to-j", metrics: ["bleu_ja", "comet_wmt22"],
                                       predictions: ["猫です"], golds: ["猫だ"], bleu: .llmJpEvalCompat)
        #expect(compat.metrics["bleu_ja"] != nil && compat.metrics["comet_wmt22"] == nil)
        #expect(compat.mainMetric == "bleu_ja")
        let nli = try Scoring.score(dataset: "jamp", metrics: ["exact_match"], predictions: ["a"], golds: ["a"])
        let agg = Scoring.aggregate([compat, nli, s])
        #expect(agg.labels["MT"]?.contains("comet_wmt22 not computed") == true)
        #expect(abs((agg.categories["MT"] ?? .nan) - (compat.main ?? .nan) / 100) < 1e-12)
        let cg = try Scoring.score(dataset: "mbpp", metrics: ["code_exec"], predictions: ["x"], golds: ["[]"])
        let agg2 = Scoring.aggregate([nli, cg])
        #expect(agg2.categories == ["NLI": 1] && agg2.avg == 1 && agg2.notComputed["CG"] != nil)
    }

    @Test func stsIsReportedButNotAveraged() throws {
        let sts = try Scoring.score(dataset: "jsts", metrics: ["pearson", "spearman"], predictions: ["1", "2", "4"], golds: ["1.0", "2.0", "3.0"])
        let nli = try Scoring.score(dataset: "jnli", metrics: ["exact_match"], predictions: ["a", "b"], golds: ["a", "c"])
        let agg = Scoring.aggregate([sts, nli])
        #expect(agg.categories["STS"] != nil)
        #expect(agg.avg == 0.5)
    }

    @Test func perExampleValues() {
        let v = Scoring.perExample(metrics: ["exact_match", "char_f1", "pearson", "comet_wmt22"], prediction: "東京都", gold: "東京")
        #expect(v == ["exact_match": 0, "char_f1": 0.8])
    }
}
