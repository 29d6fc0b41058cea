import Foundation
import Testing
@testable import Evaluation

/// bleu_ja and ROUGE against sacrebleu 2.6 (ja-mecab) and rouge_score on real Japanese sentences
/// (Fixtures/mecab_metrics.json, tools/make_mecab_metric_fixtures.py).
@Suite struct MeCabMetricTests {
    nonisolated(unsafe) static let fixture: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mecab_metrics.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }()

    static func rows(_ key: String) -> [[String: Any]] { fixture[key] as? [[String: Any]] ?? [] }

    static func mecab() throws -> MeCabWords {
        switch MeCabWords.shared {
        case let .success(m): return m
        case let .failure(e): throw e   // make deps installs MeCab and IPAdic: their absence is a failure here
        }
    }

    @Test func theDictionaryIsSacrebleusIPAdic() throws {
        _ = try Self.mecab()
        #expect(Self.fixture["dictionary_size"] as? Int == MeCabWords.ipadicEntries)
        #expect(MetricName.bleuJa.notComputedReason(bleu: .sacrebleu) == nil)
    }

    @Test func wordsEqualSacrebleusJaMecabTokenizer() throws {
        let mecab = try Self.mecab()
        let cases = Self.rows("tokenize")
        #expect(cases.count == 92)
        for c in cases {
            let text = c["text"] as? String ?? "", wakati = c["wakati"] as? String ?? ""
            #expect(mecab.words(text) == PythonText.split(Array(wakati.unicodeScalars)).map { PythonText.string($0) },
                    "\(text)")
        }
    }

    @Test func bleuJaEqualsSacrebleu() throws {
        _ = try Self.mecab()
        let cases = Self.rows("bleu")
        #expect(cases.count == 46)
        var predictions: [String] = [], golds: [String] = []
        for c in cases {
            let p = c["prediction"] as? String ?? "", g = c["gold"] as? String ?? ""
            predictions.append(p); golds.append(g)
            let sentence = Bleu.sentence(hypothesis: p, reference: g, tokenization: .jaMecab)
            #expect(abs(sentence - (c["sentence_bleu_ja"] as? Double ?? .nan)) < 1e-9, "\(p) | \(g)")
            // llm-jp-eval's character-aligned call; sacrebleu raised on the empty prediction (Kasane scores 0).
            let compat = Bleu.llmJpEvalCompat(prediction: p, gold: g)
            #expect(abs(compat - (c["compat_bleu_ja"] as? Double ?? 0)) < 1e-9, "\(p) | \(g)")
        }
        let corpus = Bleu.corpus(hypotheses: predictions, references: golds, tokenization: .jaMecab)
        #expect(abs(corpus - (Self.fixture["corpus_bleu_ja"] as? Double ?? .nan)) < 1e-9)
        let scored = try Scoring.score(dataset: "alt-e-to-j", metrics: ["bleu_ja"], predictions: predictions, golds: golds)
        #expect(abs((scored.metrics["bleu_ja"] ?? .nan) - corpus) < 1e-12)
    }

    @Test func rougeEqualsRougeScoreWithMeCabWords() throws {
        let mecab = try Self.mecab()
        let cases = Self.rows("rouge")
        #expect(cases.count == 46)
        var sums: [Rouge.Kind: Double] = [:]
        for c in cases {
            let p = c["prediction"] as? String ?? "", g = c["gold"] as? String ?? ""
            for kind in Rouge.Kind.allCases {
                let value = Rouge.score(kind, prediction: p, gold: g, words: mecab.words)
                #expect(abs(value - (c[kind.rawValue] as? Double ?? .nan)) < 1e-9, "\(kind) \(p) | \(g)")
                sums[kind, default: 0] += value
            }
        }
        let means = Self.fixture["rouge_mean"] as? [String: Double] ?? [:]
        let predictions = cases.map { $0["prediction"] as? String ?? "" }, golds = cases.map { $0["gold"] as? String ?? "" }
        let scored = try Scoring.score(dataset: "xlsum_ja", metrics: ["rouge1", "rouge2", "rougeLsum"],
                                       predictions: predictions, golds: golds)
        for kind in Rouge.Kind.allCases {
            #expect(abs((scored.metrics[kind.rawValue] ?? .nan) - (means[kind.rawValue] ?? .nan)) < 1e-9, "\(kind)")
        }
    }

    @Test func bootstrapMidIsSeededAndNearTheMean() {
        let values = (0..<200).map { Double(($0 * 37) % 101) }
        let mean = values.reduce(0, +) / Double(values.count)
        var a = SystemRandomNumberGenerator()
        let unseeded = Rouge.bootstrapMid(values, using: &a)
        #expect(abs(unseeded - mean) < 1.5)   // 3 standard errors of the mean of 200 values spread over 0…100
        // Hand-checkable case: one value resamples to itself, whatever the generator.
        #expect(Rouge.bootstrapMid([42], using: &a) == 42)
    }
}
