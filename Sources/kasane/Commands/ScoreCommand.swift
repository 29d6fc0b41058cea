import ArgumentParser
import Evaluation
import Foundation

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score saved predictions with llm-jp-eval's metrics, without a model.",
        discussion: """
        FILE is Kasane's predictions.jsonl, a kasane export (predictions.jsonl / predictions.csv / lm-eval \
        samples_<task>_<date>.jsonl), llm-jp-eval's output JSON, or JSON lines of {"prediction", "gold"[, "input"]}; \
        the format is detected. Predictions are scored as given (already post-processed), per dataset (and model).
        """)

    @Option(help: ArgumentHelp("The predictions file.", valueName: "file"))
    var predictions: String

    @Option(help: "Comma-separated metrics, e.g. bleu_ja,bleu_en,char_f1.")
    var metrics: String

    @Option(help: "BLEU: sacrebleu (corpus BLEU) or llm-jp-eval-compat (v1.4.1's per-sample call).")
    var bleu: BleuMode = .sacrebleu

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let names = metrics.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let report = try PredictionScoring.score(ScoreRequest(predictions: predictions, metrics: names, bleu: bleu))
        print(json ? report.json : report.table)
    }
}
