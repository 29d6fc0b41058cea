/// The cost table: per method of a stability result, what the store recorded for the models behind it.
public enum SweepCosts {
    /// Raw over its widest set of positions, then every integrated method; empty when the store recorded no cost.
    public static func load(store: ResultStore, result: StabilityResult) throws -> [MethodCost] {
        let models = try store.models(run: result.run.id)
        /// Measured when the store holds the engine's counts for every pass over the model, else estimated.
        func passes(_ model: StoredModel) throws -> (count: Int, measured: Bool) {
            if let measured = try store.cost(model: model.id)?.measured { return (measured.forwardPasses, true) }
            let t = try store.timing(model: model.id)
            return (t.examples + t.generatedTokens, false)
        }
        var rawByStep: [Int: StoredModel] = [:]
        for m in result.raw.models { rawByStep[m.step] = m }
        var out: [MethodCost] = []
        var any = false
        let widestRaw = result.sweep.filter { $0.method == .raw }.max { $0.summary.steps.count < $1.summary.steps.count }
        for m in (widestRaw.map { [$0] } ?? []) + result.sweep.filter({ $0.method != .raw }) {
            let steps = Set(m.summary.steps)
            let rows: [StoredModel]
            switch m.method {
            case .raw: rows = steps.compactMap { rawByStep[$0] }
            case .average, .ensemble:
                let kind: ModelKind = m.method == .average ? .average : .ensemble
                var byStep: [Int: StoredModel] = [:]
                let weights = m.method == .ensemble ? (m.vote ?? .majority).weightsLabel : nil
                for s in models where s.kind == kind && s.spec.window == m.window
                    && s.spec.align == m.alignment.rawValue && (weights == nil || s.spec.weights == weights)
                    && steps.contains(s.step) { byStep[s.step] = s }
                rows = Array(byStep.values)
            }
            var seconds = 0.0, peak: Int?, forward = 0, members = 0, measured = true
            for row in rows {
                if let c = try store.cost(model: row.id) {
                    any = true
                    seconds += c.seconds
                    if let p = c.peakBytes { peak = max(peak ?? 0, p) }
                } else if m.method != .ensemble {
                    seconds += try store.timing(model: row.id).seconds
                }
                if m.method != .ensemble {
                    let p = try passes(row)
                    forward += p.count
                    measured = measured && p.measured
                }
            }
            if m.method == .ensemble {
                for member in Set(rows.flatMap(\.spec.members)).compactMap({ rawByStep[$0] }) {
                    let p = try passes(member)
                    members += p.count
                    measured = measured && p.measured
                }
            }
            var cost = MethodCost(method: m.method, window: m.window, positions: rows.count, forwardPasses: forward,
                                  memberForwardPasses: members, seconds: seconds, peakBytes: peak, vote: m.vote)
            cost.measured = measured && !rows.isEmpty
            out.append(cost)
        }
        return any || out.contains { $0.forwardPasses > 0 } ? out : []
    }
}
