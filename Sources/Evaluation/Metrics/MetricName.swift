/// Every metric name an llm-jp-eval v1.4.1 dataset file may list.
public enum MetricName: String, Sendable, CaseIterable {
    case exactMatch = "exact_match"
    case charF1 = "char_f1"
    case setF1 = "set_f1"
    case pearson, spearman
    case bleuEn = "bleu_en", bleuJa = "bleu_ja"
    case rouge1, rouge2, rougeLsum
    case cometWmt22 = "comet_wmt22"
    case bertScoreEnF1 = "bert_score_en_f1", bertScoreJaF1 = "bert_score_ja_f1"
    case codeExec = "code_exec", pylintCheck = "pylint_check"

    /// Why Kasane cannot compute this metric natively, or nil when it can (under the given BLEU mode).
    public func notComputedReason(bleu: BleuMode) -> String? {
        switch self {
        case .exactMatch, .charF1, .setF1, .pearson, .spearman, .bleuEn: return nil
        case .bleuJa, .rouge1, .rouge2, .rougeLsum: return MeCabWords.unavailableReason
        case .cometWmt22: return "not computed: needs the Unbabel/wmt22-comet-da neural model"
        case .bertScoreEnF1, .bertScoreJaF1: return "not computed: needs a BERTScore neural model"
        case .codeExec, .pylintCheck: return "not computed: needs executing generated Python code"
        }
    }

    /// Metrics a neural model computes (COMET, BERTScore). Kasane's string metrics never produce them; a value made
    /// elsewhere (a COMET scorer) enters through `Scoring.score(..., supplied:)` and is kept as given.
    public var isModelBased: Bool { self == .cometWmt22 || self == .bertScoreEnF1 || self == .bertScoreJaF1 }

    /// Whether the metric has a per-example value (correlations are corpus-level only).
    var hasPerExampleValue: Bool { self != .pearson && self != .spearman }
}
