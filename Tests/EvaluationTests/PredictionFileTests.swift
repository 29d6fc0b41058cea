import Foundation
import Testing
@testable import Evaluation

/// `kasane score` on every input format, with golden values from the reference implementations: sacrebleu 2.6 with
/// ja-mecab (Fixtures/mecab_metrics.json), sacrebleu 13a (Fixtures/bleu.json) and fuzzywuzzy char_f1
/// (Fixtures/char_f1.json). The files are written here from the fixtures' pairs in each format's shape.
@Suite struct PredictionFileTests {
    typealias Pair = (prediction: String, gold: String)

    static func mecabPairs() throws -> [Pair] {
        try TestPaths.cases("mecab_metrics.json", key: "bleu", count: 46)
            .map { ($0["prediction"] as? String ?? "", $0["gold"] as? String ?? "") }
    }

    static func englishPairs() throws -> (pairs: [Pair], bleu: Double) {
        let corpus = try TestPaths.fixture("bleu.json")["corpus_en"] as? [String: Any] ?? [:]
        let preds = corpus["preds"] as? [String] ?? [], golds = corpus["golds"] as? [String] ?? []
        #expect(preds.count == 12 && golds.count == 12)
        return (Array(zip(preds, golds)).map { ($0, $1) }, corpus["bleu_en"] as? Double ?? .nan)
    }

    static func charF1Cases() throws -> (pairs: [Pair], mean: Double) {
        let cases = try TestPaths.cases("char_f1.json", count: 105)
        let values = cases.map { $0["char_f1"] as? Double ?? .nan }
        return (cases.map { ($0["pred"] as? String ?? "", $0["gold"] as? String ?? "") }, values.reduce(0, +) / Double(values.count))
    }

    static func jsonLine(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func write(_ lines: [String], _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func score(_ path: String, _ metrics: [String], bleu: BleuMode = .sacrebleu) throws -> ScoreReport {
        try PredictionScoring.score(ScoreRequest(predictions: path, metrics: metrics, bleu: bleu))
    }

    static func close(_ a: Double?, _ b: Double) -> Bool { abs((a ?? .nan) - b) < 1e-9 }

    @Test func plainLinesGiveSacrebleuJaMecabInBothModes() throws {
        let dir = try TestPaths.temporaryDirectory(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = try TestPaths.fixture("mecab_metrics.json")
        let pairs = try Self.mecabPairs()
        let path = try Self.write(try pairs.map { try Self.jsonLine(["prediction": $0.prediction, "gold": $0.gold]) },
                                  "pairs.jsonl", in: dir)
        let report = try Self.score(path, ["bleu_ja", "comet_wmt22"])
        #expect(report.format == .plainLines && report.groups.count == 1)
        let score = try #require(report.groups.first?.score)
        #expect(Self.close(score.metrics["bleu_ja"], fixture["corpus_bleu_ja"] as? Double ?? .nan))
        #expect(score.metrics["comet_wmt22"] == nil && score.notComputed["comet_wmt22"] != nil)
        // --json: one flat object, the uncomputed metric null.
        let object = try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any] ?? [:]
        #expect(Self.close(object["bleu_ja"] as? Double, fixture["corpus_bleu_ja"] as? Double ?? .nan))
        #expect(object["comet_wmt22"] is NSNull && object.count == 2)
        // llm-jp-eval-compat: the mean of v1.4.1's per-sample values (sacrebleu raised on the one empty prediction;
        // Kasane scores it 0, as Scoring documents).
        let compat = try TestPaths.cases("mecab_metrics.json", key: "bleu", count: 46).map { $0["compat_bleu_ja"] as? Double ?? 0 }
        let compatScore = try Self.score(path, ["bleu_ja"], bleu: .llmJpEvalCompat).groups.first?.score
        #expect(Self.close(compatScore?.metrics["bleu_ja"], compat.reduce(0, +) / 46))
    }

    @Test func kasanePredictionsAreGroupedByDataset() throws {
        let dir = try TestPaths.temporaryDirectory(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let (english, bleu) = try Self.englishPairs()
        let (qa, charF1) = try Self.charF1Cases()
        var lines: [String] = []
        for (dataset, pairs) in [("alt-j-to-e", english), ("jsquad", qa)] {
            for (i, p) in pairs.enumerated() {
                lines.append(try Self.jsonLine(["dataset": dataset, "category": "", "index": i, "prompt": "### 入力:\n\(i)",
                                                "prompt_tokens": 3, "generated": p.prediction + "\n\nmore",
                                                "prediction": p.prediction, "gold": p.gold, "exact_match": 0]))
            }
        }
        let report = try Self.score(try Self.write(lines, "predictions.jsonl", in: dir), ["bleu_en", "char_f1"])
        #expect(report.format == .kasanePredictions)
        #expect(report.groups.map(\.score.dataset) == ["alt-j-to-e", "jsquad"])
        #expect(report.groups.map(\.score.sampleCount) == [12, 105])
        #expect(Self.close(report.groups[0].score.metrics["bleu_en"], bleu))
        #expect(Self.close(report.groups[1].score.metrics["char_f1"], charF1))
        let object = try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: [String: Any]] ?? [:]
        #expect(Self.close(object["alt-j-to-e"]?["bleu_en"] as? Double, bleu))
        #expect(report.table.contains("alt-j-to-e") && report.table.contains("jsquad"))
    }

    @Test func llmJpEvalOutputJSON() throws {
        let dir = try TestPaths.temporaryDirectory(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = try TestPaths.fixture("mecab_metrics.json")
        let (english, bleu) = try Self.englishPairs()
        let document: [String: Any] = [
            "scores": ["alt-e-to-j_bleu_ja": "27.9130", "AVG": "0.2791"],
            "outputs": [
                "alt-e-to-j": try Self.mecabPairs().map { ["input": "src", "pred": $0.prediction, "gold": $0.gold, "prompt": "p"] },
                "alt-j-to-e": english.map { ["input": "src", "pred": $0.prediction, "gold": $0.gold] },
            ],
        ]
        let path = dir + "/run_20240101_000000.json"
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
        let report = try Self.score(path, ["bleu_ja", "bleu_en"])
        #expect(report.format == .llmJpEvalOutput)
        let byName = Dictionary(uniqueKeysWithValues: report.groups.map { ($0.score.dataset, $0.score) })
        #expect(Self.close(byName["alt-e-to-j"]?.metrics["bleu_ja"], fixture["corpus_bleu_ja"] as? Double ?? .nan))
        #expect(Self.close(byName["alt-j-to-e"]?.metrics["bleu_en"], bleu))
    }

    @Test func llmJpEvalOfflineInferenceOutputIsPostProcessed() throws {
        let dir = try TestPaths.temporaryDirectory(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let (english, bleu) = try Self.englishPairs()
        // Generated texts as the model wrote them: a leading space and text after the blank line, both cut.
        let document: [String: Any] = [
            "target_dataset": "alt-j-to-e", "output_length": 500, "metrics": ["bleu_en"],
            "samples": english.map { ["input": "src", "prompt": "p", "gold": $0.gold, "generated": " " + $0.prediction + "\n\nmore"] },
        ]
        let path = dir + "/alt-j-to-e.eval-prompt.json"
        try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: path))
        let report = try Self.score(path, ["bleu_en"])
        #expect(report.format == .llmJpEvalGenerated && report.groups.map(\.score.dataset) == ["alt-j-to-e"])
        #expect(Self.close(report.groups.first?.score.metrics["bleu_en"], bleu))
    }

    @Test func lmEvalSamplesTakeTheTaskFromTheFileName() throws {
        let dir = try TestPaths.temporaryDirectory(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let (english, bleu) = try Self.englishPairs()
        let lines = try english.enumerated().map { i, p in
            try Self.jsonLine(["doc_id": i, "doc": ["input": "src \(i)", "output": p.gold], "target": p.gold,
                               "resps": [[p.prediction + "\n\nmore"]], "filtered_resps": [p.prediction], "filter": "none"])
        }
        let path = try Self.write(lines, "samples_alt-j-to-e_2026-12-03T09-10-00.123456.jsonl", in: dir)
        let report = try Self.score(path, ["bleu_en"])
        #expect(report.format == .lmEvalSamples && report.groups.map(\.score.dataset) == ["alt-j-to-e"])
        #expect(Self.close(report.groups.first?.score.metrics["bleu_en"], bleu))
    }

    /// RFC 4180 as `kasane export --format csv` writes it: quoted when a field holds a comma, quote or line break.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\r"
    }

    @Test func storeExportsAreGroupedByModelAndDataset() throws {
        let dir = try TestPaths.temporaryDirectory(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let (english, bleu) = try Self.englishPairs()
        let (qa, charF1) = try Self.charF1Cases()
        // Two models; the second predicts the gold everywhere.
        var json: [String] = []
        var csv = [Self.csvLine(["run", "kind", "step", "window", "align", "weights", "members", "fingerprint", "path",
                                 "dataset", "category", "example", "input", "prompt_hash", "prompt_tokens", "generated",
                                 "prediction", "gold", "bleu_en", "char_f1"])]
        for step in [100, 200] {
            for (dataset, pairs) in [("alt-j-to-e", english), ("jsquad", qa)] {
                for (i, p) in pairs.enumerated() {
                    let prediction = step == 100 ? p.prediction : p.gold
                    json.append(try Self.jsonLine(["run": "/runs/a", "kind": "raw", "step": step, "window": 1, "align": "",
                                                   "weights": "", "members": [step], "fingerprint": "f", "path": "",
                                                   "dataset": dataset, "category": "", "example": i, "input": "in, \"\(i)\"",
                                                   "prompt_hash": "h", "prompt_tokens": 2, "generated": prediction,
                                                   "prediction": prediction, "gold": p.gold, "metrics": ["char_f1": 0.5]]))
                    csv.append(Self.csvLine(["/runs/a", "raw", "\(step)", "1", "", "", "\(step)", "f", "", dataset, "",
                                             "\(i)", "in, \"\(i)\"", "h", "2", prediction, prediction, p.gold, "", "0.5"]))
                }
            }
        }
        for (file, format) in [("predictions.jsonl", PredictionFileFormat.storeExportJSONL), ("predictions.csv", .storeExportCSV)] {
            let path = try Self.write(format == .storeExportCSV ? [csv.joined(separator: "\n")] : json, file, in: dir)
            let report = try Self.score(path, ["bleu_en", "char_f1"])
            #expect(report.format == format)
            #expect(report.groups.map { "\($0.model ?? "") \($0.score.dataset)" } == [
                "/runs/a raw step 100 alt-j-to-e", "/runs/a raw step 100 jsquad",
                "/runs/a raw step 200 alt-j-to-e", "/runs/a raw step 200 jsquad"], "\(file)")
            #expect(Self.close(report.groups[0].score.metrics["bleu_en"], bleu), "\(file)")
            #expect(Self.close(report.groups[1].score.metrics["char_f1"], charF1), "\(file)")
            #expect(Self.close(report.groups[2].score.metrics["bleu_en"], 100) && report.groups[3].score.metrics["char_f1"] == 1)
            let object = try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: [String: [String: Any]]]
            #expect(Self.close(object?["/runs/a raw step 100"]?["alt-j-to-e"]?["bleu_en"] as? Double, bleu), "\(file)")
        }
        let file = try PredictionFile.read(path: dir + "/predictions.csv")
        #expect(file.groups[0].pairs[8].input == "in, \"8\"" && file.groups[0].pairs[7].prediction == "one\ntwo")
    }

    @Test func badInputGetsOneLineNamingTheFileAndField() throws {
        let dir = try TestPaths.temporaryDirectory(); defer { try? FileManager.default.removeItem(atPath: dir) }
        func message(_ lines: [String], _ name: String = "bad.jsonl", metrics: [String] = ["bleu_en"]) -> String {
            do {
                _ = try Self.score(try Self.write(lines, name, in: dir), metrics)
                return "no error"
            } catch { return "\(error)" }
        }
        let good = try Self.jsonLine(["prediction": "a", "gold": "b"])
        let cases: [(String, String)] = [
            (message([try Self.jsonLine(["text": "a"])]), "bad.jsonl: not a predictions file (expected"),
            (message([good, "{not json"]), "bad.jsonl line 2: malformed JSON"),
            (message([good, good, try Self.jsonLine(["prediction": "a"])]), "bad.jsonl line 3: missing field 'gold'"),
            (message([try Self.jsonLine(["prediction": 3, "gold": "b"])]), "bad.jsonl line 1: field 'prediction' must be a string"),
            (message(["[1, 2]"]), "bad.jsonl: not a predictions file (expected"),
            (message([good, "[1, 2]"]), "bad.jsonl line 2: field '(line)' must be a JSON object"),
            (message(["", "  "]), "bad.jsonl: not a predictions file (expected a non-empty file"),
            (message(["{\"outputs\": {\"jamp\": [{\"pred\": \"a\"}]}}"], "o.json"), "o.json: missing field 'outputs.jamp[0].gold'"),
            (message(["{\"outputs\": [1]}"], "o2.json"), "o2.json: field 'outputs' must be an object"),
            (message(["{\"samples\": [{\"input\": \"a\", \"output\": \"b\"}]}"], "jamp.json"),
             "jamp.json: missing field 'samples[0].generated'"),
            (message(["a,b", "1,2"], "x.csv"), "x.csv: not a predictions file (expected"),
            (message(["prediction,gold", "1,2,3"], "y.csv"), "y.csv record 2: field '(row)' has 3 fields, the header 2"),
            (message(["prediction,gold", "\"open,2"], "z.csv"), "z.csv: not a predictions file"),
            (message([good], metrics: ["blue"]), "--metrics: field 'blue' is not a metric"),
            (message([good], metrics: []), "--metrics: field 'metrics' is empty"),
            (message([good], metrics: ["pearson"]), "bad.jsonl predictions: samples[0].output 'b' is not a number"),
        ]
        for (got, expected) in cases {
            #expect(got.hasPrefix(dir + "/" + expected) || got.hasPrefix(expected), "\(got)")
            #expect(!got.contains("\n"), "\(got)")
        }
        do { _ = try PredictionFile.read(path: dir + "/none.jsonl"); Issue.record("read a missing file") } catch {
            #expect("\(error)" == dir + "/none.jsonl: predictions file not found")
        }
    }
}
