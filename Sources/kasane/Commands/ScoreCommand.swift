import ArgumentParser
import Evaluation

struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract:
        "Score saved predictions (Kasane, kasane export, llm-jp-eval or {prediction, gold} lines) without a model.")

    @Option(help: ArgumentHelp("The predictions file (its format is detected).", valueName: "file")) var predictions: String
    @Option(help: "Comma-separated metrics, e.g. bleu_ja,bleu_en,char_f1.") var metrics: NameList
    @Option(help: BleuMode.help) var bleu: BleuMode = .sacrebleu
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        let report = try PredictionScoring.score(ScoreRequest(predictions: predictions, metrics: metrics.names, bleu: bleu))
        print(json ? report.json : report.table)
    }
}
