/// The cost table: per method of a stability result, what the store recorded for the models behind it.
public enum SweepCosts {
    /// Raw over its widest set of positions, then every integrated method; empty when the store recorded no cost.
    public static func load(store: ResultStore, result: StabilityResult) throws -> [MethodCost] {
        let models = try store.models(run: result.run.id)
        func passes(_ model: StoredModel) throws -> Int {
            let t = try store.timing(model: model.id)
            return t.examples + t.generatedTokens
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
            var seconds = 0.0, peak: Int?, forward = 0, members = 0
            for row in rows {
                if let c = try store.cost(model: row.id) {
                    any = true
                    seconds += c.seconds
                    if let p = c.peakBytes { peak = max(peak ?? 0, p) }
                } else if m.method != .ensemble {
                    seconds += try store.timing(model: row.id).seconds
                }
                forward += try passes(row)
            }
            if m.method == .ensemble {
                let memberSteps = Set(rows.flatMap(\.spec.members))
                members = try memberSteps.compactMap { rawByStep[$0] }.reduce(0) { $0 + (try passes($1)) }
            }
            out.append(MethodCost(method: m.method, window: m.window, positions: rows.count, forwardPasses: forward,
                                  memberForwardPasses: members, seconds: seconds, peakBytes: peak, vote: m.vote))
        }
        return any || out.contains { $0.forwardPasses > 0 } ? out : []
    }
}
