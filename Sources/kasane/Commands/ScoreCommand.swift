import ArgumentParser
import Evaluation

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract:
        "Score saved predictions (Kasane, kasane export, llm-jp-eval or {prediction, gold} lines) without a model.")

    @Option(help: ArgumentHelp("The predictions file (its format is detected).", valueName: "file")) var predictions: String
    @Option(help: "Comma-separated metrics, e.g. bleu_ja,bleu_en,char_f1.") var metrics: String
    @Option(help: BleuMode.help) var bleu: BleuMode = .sacrebleu
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        let names = metrics.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let report = try PredictionScoring.score(ScoreRequest(predictions: predictions, metrics: names, bleu: bleu))
        print(json ? report.json : report.table)
    }
}
