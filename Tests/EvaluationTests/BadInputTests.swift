import Foundation
import Testing
@testable import Evaluation

/// Malformed evalsets give one-line errors naming the file and the field.
struct BadInputTests {
    let good = #"{"instruction": "i", "output_length": 3, "metrics": ["exact_match"], "few_shots": [], "samples": [{"input": "a", "output": "b"}, {"input": "c", "output": "d"}]}"#

    /// Writes `dev/x.json` (and `train/x.json` unless nil) under `root`'s `evaluation/` folder.
    func tree(_ root: String, dev: String, train: String?) throws {
        try FileManager.default.createDirectory(atPath: root + "/evaluation/dev", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/evaluation/train", withIntermediateDirectories: true)
        try dev.write(toFile: root + "/evaluation/dev/x.json", atomically: true, encoding: .utf8)
        if let train { try train.write(toFile: root + "/evaluation/train/x.json", atomically: true, encoding: .utf8) }
    }

    func error(dev: String, train: String? = nil, shots: Int = 0) throws -> String {
        let root = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try tree(root, dev: dev, train: train)
        var options = EvalOptions()
        options.shots = shots
        do {
            _ = try loadEvalSuite(root: root, options: options)
            return "no error"
        } catch let e as EvaluationError {
            return e.description
        }
    }

    @Test func goodFileLoads() throws {
        #expect(try error(dev: good, train: good, shots: 2) == "no error")
    }

    @Test func malformedJSON() throws {
        let e = try error(dev: "{\"instruction\": ")
        #expect(e.contains("dev/x.json") && e.contains("malformed JSON"))
    }

    @Test func missingFields() throws {
        for field in ["instruction", "output_length", "metrics", "samples"] {
            var object = try JSONSerialization.jsonObject(with: Data(good.utf8)) as? [String: Any] ?? [:]
            object[field] = nil
            let text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            #expect(try error(dev: text).hasSuffix("dev/x.json: missing field '\(field)'"))
        }
        let noOutput = #"{"instruction": "i", "output_length": 3, "metrics": ["exact_match"], "samples": [{"input": "a"}]}"#
        #expect(try error(dev: noOutput).hasSuffix("dev/x.json: missing field 'samples[0].output'"))
        let wrongType = #"{"instruction": 5, "output_length": 3, "metrics": ["exact_match"], "samples": []}"#
        #expect(try error(dev: wrongType).hasSuffix("dev/x.json: field 'instruction' must be a string"))
    }

    @Test func noSamples() throws {
        let empty = #"{"instruction": "i", "output_length": 3, "metrics": ["exact_match"], "samples": []}"#
        #expect(try error(dev: empty).hasSuffix("dev/x.json: field 'samples' is empty (no samples to evaluate)"))
    }

    @Test func outputLengthMustBePositive() throws {
        for bad in ["0", "-2"] {
            let text = good.replacingOccurrences(of: "\"output_length\": 3", with: "\"output_length\": \(bad)")
            #expect(try error(dev: text).contains("field 'output_length' must be > 0"))
        }
        let text = good.replacingOccurrences(of: "\"output_length\": 3", with: "\"output_length\": \"3\"")
        #expect(try error(dev: text).contains("field 'output_length' must be an integer"))
    }

    @Test func unknownMetric() throws {
        let text = good.replacingOccurrences(of: "\"exact_match\"", with: "\"exact_mach\"")
        #expect(try error(dev: text).hasSuffix("dev/x.json: field 'metrics' names unknown metric 'exact_mach'"))
        #expect(throws: EvaluationError.self) {
            _ = try Scoring.score(dataset: "x", metrics: ["nope"], predictions: ["a"], golds: ["a"])
        }
    }

    @Test func missingTrainFileAndTooFewShots() throws {
        let missing = try error(dev: good, train: nil, shots: 4)
        #expect(missing.contains("train/x.json: train file (needed for 4 shots) not found"))
        let few = try error(dev: good, train: good, shots: 4)
        #expect(few.hasSuffix("train/x.json: field 'samples' holds 2 train samples, fewer than the 4 shots asked"))
        #expect(try error(dev: good, train: nil, shots: 0) == "no error")
    }

    @Test func nonNumericGoldForCorrelation() {
        #expect(throws: EvaluationError.scoring(dataset: "jsts", field: "samples[1].output",
                                                detail: "'abc' is not a number (pearson/spearman need numeric golds)")) {
            _ = try Scoring.score(dataset: "jsts", metrics: ["pearson"], predictions: ["1", "2"], golds: ["1.0", "abc"])
        }
    }
}
