import Evaluation

/// Reads a trajectory (one model kind, window and alignment of one run) out of the result store into the table the
/// stability and ensemble code works on.
public struct LoadedTrajectory: Sendable {
    public var table: TrajectoryTable
    /// The store's model rows, one per position.
    public var models: [StoredModel]
    /// Datasets left out, with the reason (e.g. missing at some step).
    public var excluded: [String: String]

    /// "left out <dataset>: <reason>" per dataset left out, by name: what `stability` and `ensemble` print.
    public static func leftOutLines(_ excluded: [String: String]) -> [String] {
        excluded.sorted { $0.key < $1.key }.map { "left out \($0.key): \($0.value)" }
    }
}

public enum StoreTrajectoryLoader {
    /// Which models form a trajectory.
    public struct Selection: Sendable, Equatable {
        public var kind: ModelKind
        public var window: Int
        public var align: String
        public var weights: String

        public static let raw = Selection(kind: .raw, window: 1, align: "", weights: "")
        public init(kind: ModelKind, window: Int, align: String, weights: String) {
            self.kind = kind
            self.window = window
            self.align = align
            self.weights = weights
        }

        func matches(_ model: StoredModel) -> Bool {
            guard model.kind == kind else { return false }
            if kind == .raw { return true }
            return model.spec.window == window && model.spec.align == align
                && (weights.isEmpty || model.spec.weights == weights)
        }
    }

    /// The variants (kind, window, align, weights) present for a run, other than raw.
    public static func variants(store: ResultStore, run: Int) throws -> [Selection] {
        var seen: [Selection] = []
        for m in try store.models(run: run) where m.kind != .raw {
            let s = Selection(kind: m.kind, window: m.spec.window, align: m.spec.align, weights: m.spec.weights)
            if !seen.contains(s) { seen.append(s) }
        }
        return seen
    }

    public static func load(store: ResultStore, run: Int, selection: Selection = .raw) throws -> LoadedTrajectory {
        var models = try store.models(run: run).filter(selection.matches)
        models.sort { $0.step < $1.step }
        // One model per step: a later registration of the same step wins (listings already skip stale rows).
        var byStep: [Int: StoredModel] = [:]
        for m in models { byStep[m.step] = m }
        models = byStep.keys.sorted().compactMap { byStep[$0] }

        var planned = try store.datasets(run: run)
        if planned.isEmpty { planned = try store.allDatasets() }
        var datasetByName: [String: StoredDataset] = [:]
        for d in planned { datasetByName[d.name] = d }

        let scores = try models.map { m in
            Dictionary(try store.scores(model: m.id).map { ($0.dataset, $0) }, uniquingKeysWith: { a, _ in a })
        }
        var names = Set<String>()
        for s in scores { names.formUnion(s.keys) }
        var excluded: [String: String] = [:]
        var series: [DatasetSeries] = []
        for name in names.sorted() {
            guard let dataset = datasetByName[name] else {
                excluded[name] = "not a dataset of this run"
                continue
            }
            if let missing = models.indices.first(where: { scores[$0][name] == nil }) {
                excluded[name] = "no score at step \(models[missing].step)"
                continue
            }
            let rows = models.indices.compactMap { scores[$0][name] }
            guard let first = rows.first else { continue }
            if let bad = rows.firstIndex(where: { !($0.main?.isFinite ?? false) }) {
                excluded[name] = "\(first.mainMetric) is not a number at step \(models[bad].step)"
                continue
            }
            // BLEU and ROUGE are on 0–100; llm-jp-eval divides them by 100 in the category average.
            let scale = first.mainMetric.hasPrefix("bleu") || first.mainMetric.hasPrefix("rouge") ? 0.01 : 1
            let predictions = try models.map { try store.predictions(model: $0.id, dataset: dataset.id) }
            var common = Set(predictions.first?.map(\.index) ?? [])
            for p in predictions.dropFirst() { common.formIntersection(p.map(\.index)) }
            let indices = common.sorted()
            let lookup = predictions.map { Dictionary($0.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a }) }
            let inputs = try store.inputs(dataset: dataset.id)
            var examples: [ExampleSeries] = []
            for i in indices {
                let rowsForExample = lookup.compactMap { $0[i] }
                let values = rowsForExample.map { $0.metrics[first.mainMetric] }
                let scored = values.allSatisfy { $0 != nil && $0!.isFinite }
                examples.append(ExampleSeries(index: i, gold: rowsForExample.first?.gold ?? "",
                                              predictions: rowsForExample.map(\.prediction),
                                              scores: scored ? values.map { ($0 ?? 0) * scale } : nil,
                                              input: inputs[i] ?? "", logprobs: rowsForExample.map(\.logprobs)))
            }
            if indices.count < predictions.map(\.count).max() ?? 0 {
                excluded[name + " (examples)"] = "only \(indices.count) examples are stored at every step"
            }
            var entry = DatasetSeries(dataset: name, category: first.category ?? dataset.category ?? "",
                                      mainMetric: first.mainMetric, metrics: dataset.metrics,
                                      scores: rows.map { ($0.main ?? .nan) * scale }, examples: examples)
            entry.scale = scale
            series.append(entry)
        }
        let table = TrajectoryTable(steps: models.map(\.step), datasets: series)
        return LoadedTrajectory(table: table, models: models, excluded: excluded)
    }
}
