/// Scores predictions the way llm-jp-eval v1.4.1 does. Inputs are already post-processed (see `PostProcessing`).
public enum Scoring {
    /// NFKC (+ Python `str.strip()`): for predictions (after cutting at "\n\n") and golds (strip: false).
    public static func normalize(_ text: String, strip: Bool) -> String { PostProcessing.normalize(text, strip: strip) }

    /// Per-example metric values for one sample. Corpus-level metrics (pearson, spearman) and metrics Kasane does
    /// not compute are absent. Unknown names are ignored here; `score` rejects them.
    public static func perExample(metrics: [String], prediction: String, gold: String,
                                  bleu: BleuMode = .sacrebleu) -> [String: Double] {
        var out: [String: Double] = [:]
        for name in metrics {
            guard let metric = MetricName(rawValue: name), metric.notComputedReason(bleu: bleu) == nil,
                  metric.hasPerExampleValue else { continue }
            out[name] = value(metric, prediction: prediction, gold: gold, bleu: bleu)
        }
        return out
    }

    static func value(_ metric: MetricName, prediction: String, gold: String, bleu: BleuMode) -> Double {
        switch metric {
        case .exactMatch: return PythonText.equal(prediction, gold) ? 1 : 0
        case .charF1: return CharF1.score(prediction: prediction, gold: gold)
        case .setF1: return SetF1.score(prediction: prediction, gold: gold)
        case .bleuEn, .bleuJa:
            return bleu == .llmJpEvalCompat ? Bleu.llmJpEvalCompat(prediction: prediction, gold: gold)
                : Bleu.sentence(hypothesis: prediction, reference: gold,
                                tokenization: metric == .bleuJa ? .jaMecab : .thirteenA)
        case .rouge1, .rouge2, .rougeLsum:
            guard let kind = Rouge.Kind(rawValue: metric.rawValue),
                  case let .success(mecab) = MeCabWords.shared else { return .nan }
            return Rouge.score(kind, prediction: prediction, gold: gold, words: mecab.words)
        default: return .nan   // not reached: filtered by the callers
        }
    }

    /// The dataset's metrics over all its samples (llm-jp-eval's `get_evaluation_result`). `supplied` holds values of
    /// model-based metrics computed elsewhere (e.g. `comet_wmt22` from a COMET scorer): listed metrics found there
    /// are taken as given instead of "not computed", and a supplied comet_wmt22 becomes MT's main metric.
    public static func score(dataset: String, metrics: [String], predictions: [String], golds: [String],
                             bleu: BleuMode = .sacrebleu, supplied: [String: Double] = [:]) throws -> DatasetScore {
        guard predictions.count == golds.count else {
            throw EvaluationError.scoring(dataset: dataset, field: "predictions",
                                          detail: "count \(predictions.count) differs from golds count \(golds.count)")
        }
        guard !predictions.isEmpty else {
            throw EvaluationError.scoring(dataset: dataset, field: "predictions", detail: "is empty (no samples to score)")
        }
        for name in supplied.keys where MetricName(rawValue: name)?.isModelBased != true {
            throw EvaluationError.scoring(dataset: dataset, field: "supplied metric '\(name)'",
                                          detail: "is not model-based (only comet_wmt22 and bert_score_* can be supplied)")
        }
        var values: [String: Double] = [:]
        var notComputed: [String: String] = [:]
        let n = Double(predictions.count)
        for name in metrics {
            guard let metric = MetricName(rawValue: name) else {
                throw EvaluationError.unknownMetric(path: dataset, metric: name)
            }
            if let given = supplied[name] { values[name] = given; continue }
            if let reason = metric.notComputedReason(bleu: bleu) { notComputed[name] = reason; continue }
            switch metric {
            case .pearson, .spearman:
                let (x, y) = try correlationInputs(dataset: dataset, predictions: predictions, golds: golds)
                values[name] = metric == .pearson ? Correlation.pearson(x, y) : Correlation.spearman(x, y)
            case .bleuEn where bleu == .sacrebleu:
                values[name] = Bleu.corpus(hypotheses: predictions, references: golds)
            case .bleuJa where bleu == .sacrebleu:
                values[name] = Bleu.corpus(hypotheses: predictions, references: golds, tokenization: .jaMecab)
            default:
                var sum = 0.0
                for (p, g) in zip(predictions, golds) { sum += value(metric, prediction: p, gold: g, bleu: bleu) }
                values[name] = sum / n
            }
        }
        let category = Categories.category(of: dataset)
        let (mainMetric, main) = mainValue(dataset: dataset, metrics: metrics, values: values)
        return DatasetScore(dataset: dataset, category: category, metrics: values, notComputed: notComputed,
                            mainMetric: mainMetric, main: main, sampleCount: predictions.count)
    }

    private static func correlationInputs(dataset: String, predictions: [String], golds: [String]) throws -> ([Double], [Double]) {
        var x: [Double] = []
        for (i, g) in golds.enumerated() {
            guard let v = Correlation.parseGold(g) else {
                throw EvaluationError.scoring(dataset: dataset, field: "samples[\(i)].output",
                                              detail: "'\(g)' is not a number (pearson/spearman need numeric golds)")
            }
            x.append(v)
        }
        return (x, predictions.map(Correlation.parseFloat))
    }

    /// v1.4.1's main metric, or for MT (COMET not computed) the dataset's BLEU, labelled by its name.
    private static func mainValue(dataset: String, metrics: [String], values: [String: Double]) -> (String, Double?) {
        let main = Categories.mainMetric(of: dataset, metrics: metrics) ?? ""
        if let v = values[main] { return (main, v) }
        if Categories.category(of: dataset) == "MT" {
            for bleu in ["bleu_ja", "bleu_en"] where values[bleu] != nil { return (bleu, values[bleu]) }
        }
        return (main, nil)
    }

    /// Category = mean of its datasets' main metric; AVG = mean of the categories present (STS excluded).
    /// MT computed from BLEU is scaled /100 (like v1.4.1's SUM rouge2 scaling) and labelled.
    public static func aggregate(_ scores: [DatasetScore]) -> Aggregate {
        var members: [String: [Double]] = [:]
        var labels: [String: String] = [:]
        var missing: [String: String] = [:]
        for s in scores {
            guard let category = s.category, !category.isEmpty else { continue }
            guard let v = s.main, v.isFinite else {
                missing[category] = "\(s.dataset): \(s.mainMetric) not computed"
                continue
            }
            var value = v
            if s.mainMetric.hasPrefix("bleu") || s.mainMetric.hasPrefix("rouge") {
                value = v / 100
                labels[category] = category == "MT"
                    ? "\(s.mainMetric)/100 (comet_wmt22 not computed)" : "\(s.mainMetric)/100"
            }
            members[category, default: []].append(value)
        }
        var categories: [String: Double] = [:]
        for (c, v) in members { categories[c] = v.reduce(0, +) / Double(v.count) }
        for c in categories.keys { missing[c] = nil }
        let averaged = Categories.order.filter { categories[$0] != nil && !Categories.excludedFromAverage.contains($0) }
        let avg = averaged.isEmpty ? nil : averaged.map { categories[$0] ?? 0 }.reduce(0, +) / Double(averaged.count)
        return Aggregate(categories: categories, avg: avg, labels: labels, notComputed: missing)
    }

    /// Scores a dataset from its complete set of records (any order). Model-based metrics every record carries a
    /// segment score for (COMET, see `SegmentScorer`) are their mean.
    public static func score(_ dataset: EvalDataset, records: [PredictionRecord], bleu: BleuMode,
                             supplied: [String: Double] = [:]) throws -> DatasetScore {
        let sorted = records.sorted { $0.index < $1.index }
        guard sorted.count == dataset.samples.count else {
            throw EvaluationError.scoring(dataset: dataset.name, field: "predictions",
                                          detail: "has \(sorted.count) records for \(dataset.samples.count) samples")
        }
        let stored = modelBasedMeans(metrics: dataset.metrics, perExample: sorted.map(\.metrics))
        return try score(dataset: dataset.name, metrics: dataset.metrics, predictions: sorted.map(\.prediction),
                         golds: sorted.map(\.gold), bleu: bleu, supplied: supplied.merging(stored) { given, _ in given })
    }
}
