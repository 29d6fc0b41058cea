import Foundation

extension ResultStore {
    /// Stores a run's parameter drift, replacing earlier measurements of the same pairs. `fingerprints` maps each
    /// step to its checkpoint's fingerprint, so a re-saved checkpoint can be told apart.
    public func recordDrift(runName: String, pairs: [DriftPair], fingerprints: [Int: String]) throws {
        try transaction {
            try connection.execute(StoreSchema.drift)
            let upsert = try connection.prepare(
                "INSERT OR REPLACE INTO drift (run_name, from_step, to_step, from_fingerprint, to_fingerprint, scope,"
                    + " l2, relative_l2, update_cosine, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let now = Self.now()
            for pair in pairs {
                for (scope, m) in DriftScope.rows(pair) {
                    try upsert.run([SQLValue(runName), SQLValue(pair.fromStep), SQLValue(pair.toStep),
                                    SQLValue(fingerprints[pair.fromStep] ?? ""), SQLValue(fingerprints[pair.toStep] ?? ""),
                                    SQLValue(scope), SQLValue(m.l2), SQLValue(m.relativeL2.isFinite ? m.relativeL2 : nil),
                                    SQLValue(m.updateCosine), SQLValue(now)])
                }
            }
        }
    }

    /// A run's stored drift in step order (empty when none was measured).
    public func drift(runName: String) throws -> [DriftPair] {
        try locked {
            let exists = try connection.query("SELECT count(*) FROM sqlite_master WHERE name = 'drift'").first?.first?.int
            guard exists == 1 else { return [] }
            let rows = try connection.query(
                "SELECT from_step, to_step, scope, l2, relative_l2, update_cosine FROM drift WHERE run_name = ?"
                    + " ORDER BY from_step, to_step", [SQLValue(runName)])
            var pairs: [DriftPair] = []
            for row in rows {
                guard let from = row[0].int, let to = row[1].int, let scope = row[2].text else { continue }
                let m = DriftPair.Measure(l2: row[3].double ?? .nan, relativeL2: row[4].double ?? .nan,
                                          updateCosine: row[5].double)
                if pairs.last?.fromStep != from || pairs.last?.toStep != to {
                    pairs.append(DriftPair(fromStep: from, toStep: to, total: m, groups: [:], layers: [:]))
                }
                DriftScope.set(scope, m, in: &pairs[pairs.count - 1])
            }
            return pairs
        }
    }
}

/// How a drift measure is keyed in the store: `total`, `group:<name>`, `layer:<n>`.
enum DriftScope {
    static func rows(_ pair: DriftPair) -> [(String, DriftPair.Measure)] {
        [("total", pair.total)] + pair.groups.sorted { $0.key < $1.key }.map { ("group:" + $0.key, $0.value) }
            + pair.layers.sorted { $0.key < $1.key }.map { ("layer:\($0.key)", $0.value) }
    }

    static func set(_ scope: String, _ m: DriftPair.Measure, in pair: inout DriftPair) {
        if scope == "total" { pair.total = m }
        if scope.hasPrefix("group:") { pair.groups[String(scope.dropFirst(6))] = m }
        if scope.hasPrefix("layer:"), let n = Int(scope.dropFirst(6)) { pair.layers[n] = m }
    }
}
