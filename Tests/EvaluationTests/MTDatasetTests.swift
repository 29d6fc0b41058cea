import Foundation
import Testing
@testable import Evaluation

/// Answers every prompt with the prediction listed for its input (then a blank line, which post-processing cuts).
private final class TranslationGenerator: TextGenerator {
    let answers: [String: String]
    init(answers: [String: String]) { self.answers = answers }
    func encode(_ text: String, addBOS: Bool) throws -> [Int] { text.unicodeScalars.map { Int($0.value) } }
    func decode(_ ids: [Int]) throws -> String {
        String(String.UnicodeScalarView(ids.compactMap { Unicode.Scalar(UInt32($0)) }))
    }
    func makePrefix(tokens: [Int]) throws -> [Int] { tokens }
    func generate(prompts: [[Int]], maxNewTokens: Int, prefix: [Int]?,
                  shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] {
        try prompts.map { prompt in
            let text = try decode(prompt)
            let input = text.components(separatedBy: "### 入力:\n").last?.components(separatedBy: "\n\n### 応答:").first ?? ""
            return Array(try encode((answers[input] ?? "?") + "\n\n以上", addBOS: false).prefix(maxNewTokens))
        }
    }
}

/// The four v1.4.1 MT datasets in llm-jp-eval's preprocessed format (Fixtures/mt, hand-written sentences, CC0;
/// tools/make_mt_fixtures.py), their prompts, and their scores against sacrebleu 2.6 (13a / ja-mecab).
@Suite struct MTDatasetTests {
    static let root = TestPaths.fixtures + "/mt"
    static let names = ["alt-e-to-j", "alt-j-to-e", "wikicorpus-e-to-j", "wikicorpus-j-to-e"]
    static let eToJ = "これから提示する英語の文章を日本語に翻訳してください。必ず日本語の訳文のみを出力し、それ以外には何も含めないことを厳守してください。"
    static let jToE = "これから提示する日本語の文章を英語に翻訳してください。必ず英語の訳文のみを出力し、それ以外には何も含めないことを厳守してください。"

    static func suite(shots: Int = 2) throws -> [EvalDataset] {
        var options = EvalOptions()
        options.shots = shots
        return try loadEvalSuite(root: root, options: options)
    }

    static func golden() throws -> [String: [String: Any]] {
        try TestPaths.fixture("mt/scores.json")["datasets"] as? [String: [String: Any]] ?? [:]
    }

    @Test func theFourDatasetsLoadWithV141MetricsAndLengths() throws {
        let suite = try Self.suite()
        #expect(suite.map(\.name) == Self.names)
        let expected: [String: (String, Int, [String])] = [
            "alt-e-to-j": (Self.eToJ, 250, ["bleu_ja", "bert_score_ja_f1", "comet_wmt22"]),
            "alt-j-to-e": (Self.jToE, 500, ["bleu_en", "bert_score_en_f1", "comet_wmt22"]),
            "wikicorpus-e-to-j": (Self.eToJ, 300, ["bleu_ja", "bert_score_ja_f1", "comet_wmt22"]),
            "wikicorpus-j-to-e": (Self.jToE, 550, ["bleu_en", "bert_score_en_f1", "comet_wmt22"]),
        ]
        for d in suite {
            let (instruction, length, metrics) = try #require(expected[d.name])
            #expect(d.instruction == instruction && d.outputLength == length && d.metrics == metrics, "\(d.name)")
            #expect(d.category == "MT" && Categories.mainMetric(of: d.name, metrics: d.metrics) == "comet_wmt22")
            #expect(d.shots.count == 2 && d.samples.count == (d.name.hasPrefix("alt") ? 4 : 3), "\(d.name)")
        }
    }

    @Test func promptsAreV141sTemplateWithTheShotsInline() throws {
        let d = try #require(try Self.suite().first { $0.name == "alt-j-to-e" })
        let prompt = try PromptBuilder(dataset: d, options: EvalOptions()).render(input: d.samples[0].input)
        // Spec §4.3, written out.
        let expected = "以下は、タスクを説明する指示と、文脈のある入力の組み合わせです。要求を適切に満たす応答を書きなさい。\n\n### 指示:\n"
            + Self.jToE
            + "\n\n### 入力:\nありがとうございます。\n\n### 応答:\nThank you very much."
            + "\n\n### 入力:\n今日は暑いです。\n\n### 応答:\nIt is hot today."
            + "\n\n### 入力:\n彼は毎朝公園を走っています。\n\n### 応答:\n"
        #expect(prompt == expected)
    }

    /// Evaluates the suite with predictions from the fixture and returns the dataset scores.
    static func evaluate(bleu: BleuMode) throws -> [DatasetScore] {
        let golden = try Self.golden()
        var options = EvalOptions()
        options.shots = 2
        options.bleu = bleu
        var scores: [DatasetScore] = []
        for d in try Self.suite() {
            let predictions = golden[d.name]?["predictions"] as? [String] ?? []
            let answers = Dictionary(uniqueKeysWithValues: zip(d.samples.map(\.input), predictions))
            let records = try Evaluator(generator: TranslationGenerator(answers: answers), options: options).run(d)
            #expect(records.map(\.prediction) == predictions, "\(d.name)")
            scores.append(try Scoring.score(d, records: records, bleu: bleu))
        }
        return scores
    }

    @Test func bleuEqualsSacrebleuAndTheModelMetricsAreNotComputed() throws {
        let golden = try Self.golden()
        for (bleu, key) in [(BleuMode.sacrebleu, "corpus_bleu"), (.llmJpEvalCompat, "compat_mean")] {
            for s in try Self.evaluate(bleu: bleu) {
                let g = try #require(golden[s.dataset])
                let metric = g["metric"] as? String ?? ""
                #expect(abs((s.metrics[metric] ?? .nan) - (g[key] as? Double ?? .nan)) < 1e-9, "\(s.dataset) \(bleu)")
                #expect(s.mainMetric == metric && s.main == s.metrics[metric], "\(s.dataset)")
                #expect(Set(s.notComputed.keys) == ["comet_wmt22", metric == "bleu_ja" ? "bert_score_ja_f1" : "bert_score_en_f1"])
            }
        }
        // Per-example values in sacrebleu mode are sacrebleu's sentence BLEU.
        let d = try #require(try Self.suite().first { $0.name == "alt-e-to-j" })
        let g = try #require(golden["alt-e-to-j"])
        let sentence = g["sentence_bleu"] as? [Double] ?? []
        for (k, p) in (g["predictions"] as? [String] ?? []).enumerated() {
            let value = Scoring.perExample(metrics: d.metrics, prediction: p, gold: d.samples[k].output)["bleu_ja"]
            #expect(abs((value ?? .nan) - sentence[k]) < 1e-9)
        }
    }

    @Test func mtIsBleuOver100UntilCometIsSupplied() throws {
        let scores = try Self.evaluate(bleu: .sacrebleu)
        let golden = try Self.golden()
        let bleuMean = Self.names.map { golden[$0]?["corpus_bleu"] as? Double ?? .nan }.reduce(0, +) / 4 / 100
        let substitute = Scoring.aggregate(scores)
        #expect(abs((substitute.categories["MT"] ?? .nan) - bleuMean) < 1e-12)
        #expect(substitute.labels["MT"]?.contains("comet_wmt22 not computed") == true)
        // COMET values computed elsewhere enter as supplied metrics: MT becomes their mean, unlabelled.
        let comet = [0.81, 0.84, 0.78, 0.80]
        let supplied = try zip(try Self.suite(), comet).map { d, c in
            try Scoring.score(dataset: d.name, metrics: d.metrics,
                              predictions: golden[d.name]?["predictions"] as? [String] ?? [],
                              golds: d.samples.map(\.output), supplied: ["comet_wmt22": c])
        }
        #expect(supplied.allSatisfy { $0.mainMetric == "comet_wmt22" && $0.notComputed["comet_wmt22"] == nil })
        let real = Scoring.aggregate(supplied)
        #expect(abs((real.categories["MT"] ?? .nan) - comet.reduce(0, +) / 4) < 1e-12 && real.labels["MT"] == nil)
        #expect(throws: EvaluationError.self) {
            try Scoring.score(dataset: "alt-j-to-e", metrics: ["bleu_en"], predictions: ["a"], golds: ["a"],
                              supplied: ["bleu_en": 1])
        }
    }
}
