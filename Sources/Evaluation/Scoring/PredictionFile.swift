import Foundation

/// One prediction with its gold, as a predictions file holds it (already post-processed: scored as given).
public struct ScoredPair: Sendable, Equatable {
    public var prediction: String
    public var gold: String
    /// The source text, when the file keeps it (COMET needs it for MT).
    public var input: String?
    public init(prediction: String, gold: String, input: String? = nil) {
        self.prediction = prediction; self.gold = gold; self.input = input
    }
}

/// The pairs of one dataset of one model, scored together (corpus BLEU is over the group).
public struct PredictionGroup: Sendable, Equatable {
    /// The model, for files holding several (store exports); nil otherwise.
    public var model: String?
    public var dataset: String
    public var pairs: [ScoredPair]
}

/// The files `kasane score` reads. Which one a file is, is decided from its content (the first record's fields).
public enum PredictionFileFormat: String, Sendable, CaseIterable {
    /// `predictions.jsonl` of `kasane eval --output`: dataset, index, prompt, generated, prediction, gold, ...
    case kasanePredictions = "kasane predictions.jsonl"
    /// `kasane export --format jsonl` predictions.jsonl: run, kind, step, ..., dataset, example, prediction, gold.
    case storeExportJSONL = "kasane export predictions.jsonl"
    /// `kasane export --format csv` predictions.csv (any CSV with prediction and gold columns).
    case storeExportCSV = "kasane export predictions.csv"
    /// lm-evaluation-harness `samples_<task>_<date>.jsonl` (`kasane export --format lm-eval`): filtered_resps, target.
    case lmEvalSamples = "lm-eval samples jsonl"
    /// llm-jp-eval's result JSON: `{"scores": ..., "outputs": {dataset: [{"input", "pred", "gold"}, ...]}}`.
    case llmJpEvalOutput = "llm-jp-eval output JSON"
    /// llm-jp-eval v1.4.x offline inference output (`<dataset>.eval-prompt.json` with a `generated` text per sample):
    /// `{"target_dataset", "samples": [{"input", "prompt", "gold", "generated"}]}`. The generated text is
    /// post-processed as llm-jp-eval does (text before "\n\n", NFKC, strip); golds NFKC.
    case llmJpEvalGenerated = "llm-jp-eval offline inference output"
    /// JSON lines of `{"prediction", "gold"[, "input"][, "dataset"]}`.
    case plainLines = "prediction/gold JSON lines"
}

/// A predictions file read into groups, in the order their datasets first appear.
public struct PredictionFile: Sendable {
    public var path: String
    public var format: PredictionFileFormat
    public var groups: [PredictionGroup]

    /// What the one-line error says is accepted.
    static let expected = "Kasane predictions.jsonl, a kasane export (jsonl, csv, lm-eval samples), llm-jp-eval's"
        + " output JSON ({\"outputs\": ...} or offline inference {\"samples\": [{\"generated\", \"gold\"}]}) or JSON lines of {\"prediction\", \"gold\"}"

    public static func read(path: String) throws -> PredictionFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError.fileNotFound(path: path, what: "predictions file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvaluationError.unrecognizedFile(path: path, expected: "UTF-8 text: " + expected)
        }
        let reader = PredictionFileReader(path: path)
        let (format, groups) = try reader.read(text: text, data: data)
        guard !groups.isEmpty else { throw EvaluationError.unrecognizedFile(path: path, expected: "at least one record: " + expected) }
        return PredictionFile(path: path, format: format, groups: groups)
    }
}
