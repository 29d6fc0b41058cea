import Foundation

/// What a run in the store holds and what remains, per model and dataset (the `status` command).
public struct RunStatus: Sendable {
    public struct ModelStatus: Sendable {
        public var model: StoredModel
        public var stored: Int
        public var planned: Int
        /// Planned datasets with a score row.
        public var scoredDatasets: Int
        public var avg: Double?
        public var complete: Bool { planned > 0 && stored >= planned && scoredDatasets > 0 }
    }

    public var run: StoredRun
    public var datasets: [StoredDataset]
    public var models: [ModelStatus]
    /// Checkpoints found on disk (when a checkpoint folder was given) that the store has no rows for.
    public var notRegistered: [Checkpoint]

    public init(store: ResultStore, run: StoredRun, checkpoints: [Checkpoint]? = nil) throws {
        self.run = run
        let datasets = try store.datasets(run: run.id)
        self.datasets = datasets
        let counts = try store.predictionCounts(run: run.id)
        let plannedPerModel = datasets.reduce(0) { $0 + ($1.plannedExamples ?? 0) }
        let names = Set(datasets.map(\.name))
        models = try store.models(run: run.id).map { model in
            let perDataset = counts[model.id] ?? [:]
            let stored = datasets.reduce(0) { $0 + min(perDataset[$1.id] ?? 0, $1.plannedExamples ?? 0) }
            let scores = try store.scores(model: model.id).filter { names.contains($0.dataset) }
            return ModelStatus(model: model, stored: stored, planned: plannedPerModel, scoredDatasets: scores.count,
                               avg: try store.aggregates(model: model.id)["AVG"])
        }
        let registered = Set(try store.models(run: run.id, kind: .raw).map(\.step))
        notRegistered = (checkpoints ?? []).filter { !registered.contains($0.step) }
    }

    public var raw: [ModelStatus] { models.filter { $0.model.kind == .raw } }

    public func render() -> String {
        var out: [String] = []
        let settings = run.settings.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        out.append("run '\(run.name)' (#\(run.id)), source \(run.source)")
        out.append("  settings: \(settings.isEmpty ? "(none)" : settings)")
        let perModel = datasets.reduce(0) { $0 + ($1.plannedExamples ?? 0) }
        out.append("  datasets: \(datasets.count) (\(perModel) examples per model): "
                   + datasets.map(\.name).joined(separator: ", "))
        let raw = self.raw
        let complete = raw.filter(\.complete).count
        let started = raw.filter { !$0.complete && $0.stored > 0 }.count
        let waiting = raw.count - complete - started + notRegistered.count
        let stored = raw.reduce(0) { $0 + $1.stored }
        let total = raw.reduce(0) { $0 + $1.planned } + notRegistered.count * perModel
        out.append("  checkpoints: \(raw.count + notRegistered.count): \(complete) complete, \(started) partial,"
                   + " \(waiting) not started; \(stored) of \(total) predictions stored")
        if !raw.isEmpty {
            out.append("  step        fingerprint   examples       AVG")
            for m in raw {
                let avg = m.avg.map { String(format: "%.4f", $0) } ?? "-"
                let state = m.complete ? "" : (m.stored > 0 ? "  partial" : "  not started")
                out.append("  " + pad("\(m.model.step)", 10) + "  " + pad(String(m.model.spec.fingerprint.prefix(12)), 12)
                           + "  " + pad("\(m.stored)/\(m.planned)", 13) + "  " + avg + state)
            }
        }
        for c in notRegistered { out.append("  \(pad("\(c.step)", 10))  (on disk, not in the store yet: \(c.name))") }
        let variants = models.filter { $0.model.kind != .raw }
        if !variants.isEmpty {
            var groups: [String: [ModelStatus]] = [:]
            for v in variants {
                let s = v.model.spec
                groups["\(s.kind.rawValue) window \(s.window)\(s.align.isEmpty ? "" : " \(s.align)")\(s.weights.isEmpty ? "" : " \(s.weights)")", default: []].append(v)
            }
            for (label, members) in groups.sorted(by: { $0.key < $1.key }) {
                out.append("  \(label): \(members.count) models, \(members.filter(\.complete).count) complete")
            }
        }
        return out.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
}

extension RunStatus {
    /// `kasane status`: every run of the store (or the one named), compared with the checkpoints on disk when a
    /// checkpoint folder or list file is given.
    public static func report(db: String, run name: String?, checkpoints: String?) throws -> [String] {
        let store = try ResultStore(path: db, readOnly: true)
        let runs = try store.runs(named: name)
        if runs.isEmpty { return ["\(db): no runs yet"] }
        let onDisk = try checkpoints.map { try CheckpointIndex(path: $0).checkpoints }
        return ["\(db): schema version \(ResultStore.schemaVersion), \(runs.count) run\(runs.count == 1 ? "" : "s")"]
            + (try runs.map { try RunStatus(store: store, run: $0, checkpoints: onDisk).render() })
    }
}
