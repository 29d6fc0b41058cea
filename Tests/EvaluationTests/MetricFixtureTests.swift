import Foundation
import Testing
@testable import Evaluation

/// Metrics against values produced by the reference libraries (tools/make_eval_fixtures.py).
struct MetricFixtureTests {
    @Test func charF1MatchesFuzzywuzzy() throws {
        for c in try TestPaths.cases("char_f1.json", count: 105) {
            let pred = c["pred"] as? String ?? "", gold = c["gold"] as? String ?? ""
            let want = c["char_f1"] as? Double ?? -1
            #expect(CharF1.score(prediction: pred, gold: gold) == want, "pred=\(pred.debugDescription) gold=\(gold.debugDescription)")
        }
    }

    @Test func setF1MatchesFormula() throws {
        for c in try TestPaths.cases("set_f1.json", count: 11) {
            let pred = c["pred"] as? String ?? "", gold = c["gold"] as? String ?? ""
            let want = c["set_f1"] as? Double ?? -1
            #expect(abs(SetF1.score(prediction: pred, gold: gold) - want) < 1e-12, "pred=\(pred.debugDescription)")
        }
    }

    @Test func parseFloatMatchesLlmJpEval() throws {
        for c in try TestPaths.cases("correlation.json", key: "parse_float", count: 13) {
            let text = c["text"] as? String ?? "", want = c["value"] as? Double ?? .nan
            #expect(Correlation.parseFloat(text) == want, "text=\(text.debugDescription)")
        }
    }

    @Test func correlationsMatchScipy() throws {
        for c in try TestPaths.cases("correlation.json", key: "sets", count: 4) {
            let preds = c["preds"] as? [String] ?? [], golds = c["golds"] as? [String] ?? []
            let s = try Scoring.score(dataset: "jsts", metrics: ["pearson", "spearman"], predictions: preds, golds: golds)
            #expect(abs((s.metrics["pearson"] ?? .nan) - (c["pearson"] as? Double ?? .nan)) < 1e-9)
            #expect(abs((s.metrics["spearman"] ?? .nan) - (c["spearman"] as? Double ?? .nan)) < 1e-9)
        }
    }

    @Test func tokenizer13aMatchesSacrebleu() throws {
        for c in try TestPaths.cases("bleu.json", key: "tokenize_13a", count: 24) {
            let text = c["text"] as? String ?? "", want = c["tokens"] as? String ?? "?"
            #expect(Tokenizer13a.tokens(text).joined(separator: " ") == want, "text=\(text.debugDescription)")
        }
    }

    @Test func bleuMatchesSacrebleu() throws {
        for c in try TestPaths.cases("bleu.json", key: "per_sample", count: 18) {
            let pred = c["pred"] as? String ?? "", gold = c["gold"] as? String ?? ""
            let compat = c["compat"] as? Double ?? .nan
            #expect(abs(Bleu.llmJpEvalCompat(prediction: pred, gold: gold) - compat) < 1e-9, "compat pred=\(pred)")
            if let sentence = c["sentence"] as? Double {
                #expect(abs(Bleu.sentence(hypothesis: pred, reference: gold) - sentence) < 1e-9, "sentence pred=\(pred)")
            }
        }
        let corpus = try TestPaths.fixture("bleu.json")["corpus_en"] as? [String: Any] ?? [:]
        let preds = corpus["preds"] as? [String] ?? [], golds = corpus["golds"] as? [String] ?? []
        let real = try Scoring.score(dataset: "alt-j-to-e", metrics: ["bleu_en"], predictions: preds, golds: golds)
        #expect(abs((real.metrics["bleu_en"] ?? .nan) - (corpus["bleu_en"] as? Double ?? .nan)) < 1e-9)
        let compat = try Scoring.score(dataset: "alt-j-to-e", metrics: ["bleu_en"], predictions: preds, golds: golds,
                                       bleu: .llmJpEvalCompat)
        #expect(abs((compat.metrics["bleu_en"] ?? .nan) - (corpus["compat_mean"] as? Double ?? .nan)) < 1e-9)
    }

    @Test func specTestVectors() {
        let charF1: [(String, String, Double)] = [("東京都", "東京", 0.80), ("ダイ・ハード", "ダイハード", 0.91), ("a b c", "c b a", 1),
            ("Hello, World!", "world hello", 1), ("café", "cafe", 0.86), ("×2", "2", 1), ("a", "abcdefghijklmno", 0.12),
            ("", "abc", 0), ("", "", 1), ("__x", "x", 0.5)]
        for (p, g, want) in charF1 { #expect(CharF1.score(prediction: p, gold: g) == want, "\(p) vs \(g)") }
        #expect(abs(Bleu.llmJpEvalCompat(prediction: "The cat sat on the mat.", gold: "A cat was sitting on the mat.") - 11.11) < 0.005)
        #expect(Bleu.llmJpEvalCompat(prediction: "Hello world", gold: "Goodbye world") == 0)
        #expect(abs(Bleu.llmJpEvalCompat(prediction: "abc", gold: "abcdef") - 100) < 1e-9)
        #expect(abs(Bleu.sentence(hypothesis: "The cat sat on the mat.", reference: "A cat was sitting on the mat.") - 37.69) < 0.01)
        #expect(abs(SetF1.score(prediction: "A positive", gold: "A positive\nB negative") - 2.0 / 3) < 1e-12)
        #expect(SetF1.score(prediction: "A positive\nA positive\nC neutral", gold: "A positive\nB negative") == 0.5)
    }
}
