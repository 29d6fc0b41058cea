import Evaluation
import Foundation
import JSON

extension ResultStore {
    // MARK: runs

    /// The run with this name and settings, created if new. `source` (checkpoint folder or model path) is
    /// recorded on creation only.
    public func openRun(name: String, source: String, settings: StoreSettings) throws -> StoredRun {
        try transaction {
            let hash = settings.hash
            if let existing = try runs().first(where: { $0.name == name && $0.settingsHash == hash }) {
                return existing
            }
            try connection.query(
                "INSERT INTO runs (name, source, settings_hash, settings, created_at) VALUES (?, ?, ?, ?, ?)",
                [SQLValue(name), SQLValue(source), SQLValue(hash), SQLValue(settings.canonicalJSON),
                 SQLValue(ResultStore.now())])
            return StoredRun(id: connection.lastInsertRowID, name: name, source: source, settings: settings,
                             settingsHash: hash, createdAt: ResultStore.now())
        }
    }

    /// Every run, oldest first.
    public func runs() throws -> [StoredRun] {
        try locked {
            try connection.query("SELECT id, name, source, settings_hash, settings, created_at FROM runs ORDER BY id")
                .map { row in
                    let json = row[4].text ?? "{}"
                    let values = (try? JSONParser.parse(Array(json.utf8), file: path))?.dictionaryValue?.compactMapValues(\.stringValue) ?? [:]
                    return StoredRun(id: row[0].int ?? 0, name: row[1].text ?? "", source: row[2].text ?? "",
                                     settings: StoreSettings(values), settingsHash: row[3].text ?? "",
                                     createdAt: row[5].text ?? "")
                }
        }
    }

    /// The only run, or the one named `name` (the most recent if several settings share the name).
    public func run(named name: String?) throws -> StoredRun {
        let all = try runs()
        if let name {
            guard let run = all.last(where: { $0.name == name }) else {
                throw TrajectoryError.notFound(path: path, what: "run '\(name)'")
            }
            return run
        }
        guard let last = all.last else { throw TrajectoryError.notFound(path: path, what: "any run") }
        if all.count > 1 {
            let names = all.map { "'\($0.name)' (#\($0.id))" }.joined(separator: ", ")
            throw TrajectoryError.store(path: path, reason: "holds several runs (\(names)); choose one with --run")
        }
        return last
    }

    /// The run named `name`, or every run when no name is given (`status`, `export`).
    public func runs(named name: String?) throws -> [StoredRun] {
        try name.map { [try run(named: $0)] } ?? runs()
    }

    // MARK: models

    /// The model row for `spec` in `run`, created if new. Registering a new fingerprint for the same
    /// (kind, step, window, align, weights) marks the older rows stale: their results are kept, listings skip them.
    @discardableResult
    public func registerModel(_ spec: ModelSpec, run: Int) throws -> StoredModel {
        try transaction {
            let key: [SQLValue] = [SQLValue(run), SQLValue(spec.kind.rawValue), SQLValue(spec.step),
                                   SQLValue(spec.window), SQLValue(spec.align), SQLValue(spec.weights)]
            let rows = try connection.query(
                "SELECT id, fingerprint, stale FROM models WHERE run_id = ? AND kind = ? AND step = ? AND window = ?"
                    + " AND align = ? AND weights = ?", key)
            if let same = rows.first(where: { $0[1].text == spec.fingerprint }), let id = same[0].int {
                if same[2].int != 0 || rows.count > 1 {
                    try connection.query("UPDATE models SET stale = (id != ?) WHERE run_id = ? AND kind = ? AND step = ?"
                        + " AND window = ? AND align = ? AND weights = ?", [SQLValue(id)] + key)
                }
                if spec.path != "" {
                    try connection.query("UPDATE models SET path = ? WHERE id = ?", [SQLValue(spec.path), SQLValue(id)])
                }
                if spec.contentSHA256 != "" {
                    try connection.query("UPDATE models SET content_sha256 = ? WHERE id = ? AND content_sha256 = ''",
                                         [SQLValue(spec.contentSHA256), SQLValue(id)])
                }
                return try model(id: id)
            }
            try connection.query("UPDATE models SET stale = 1 WHERE run_id = ? AND kind = ? AND step = ? AND window = ?"
                + " AND align = ? AND weights = ?", key)
            try connection.query(
                "INSERT INTO models (run_id, kind, step, window, align, weights, members, fingerprint, content_sha256,"
                    + " path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                key + [SQLValue(MetricsJSON.encodeList(spec.members)), SQLValue(spec.fingerprint),
                       SQLValue(spec.contentSHA256), SQLValue(spec.path), SQLValue(ResultStore.now())])
            return StoredModel(id: connection.lastInsertRowID, runID: run, spec: spec, stale: false)
        }
    }

    /// Models of a run in step order (then window size, then id); stale rows only when asked.
    public func models(run: Int, kind: ModelKind? = nil, includeStale: Bool = false) throws -> [StoredModel] {
        var sql = "SELECT \(ResultStore.modelColumns) FROM models WHERE run_id = ?"
        var bindings = [SQLValue(run)]
        if let kind { sql += " AND kind = ?"; bindings.append(SQLValue(kind.rawValue)) }
        if !includeStale { sql += " AND stale = 0" }
        sql += " ORDER BY step, window, kind, align, weights, id"
        return try locked { try connection.query(sql, bindings).map(decodeModel) }
    }

    public func model(id: Int) throws -> StoredModel {
        try locked {
            guard let row = try connection.query(
                "SELECT \(ResultStore.modelColumns) FROM models WHERE id = ?", [SQLValue(id)]).first
            else { throw TrajectoryError.notFound(path: path, what: "model #\(id)") }
            return try decodeModel(row)
        }
    }

    static let modelColumns =
        "id, run_id, kind, step, window, align, weights, members, fingerprint, path, stale, content_sha256"

    private func decodeModel(_ row: [SQLValue]) throws -> StoredModel {
        guard let kind = ModelKind(rawValue: row[2].text ?? "") else {
            throw TrajectoryError.store(path: path, reason: "models.kind holds '\(row[2].text ?? "")'")
        }
        let members = try MetricsJSON.decodeList(row[7].text ?? "[]", as: Int.self, path: path)
        let spec = ModelSpec(kind: kind, step: row[3].int ?? 0, window: row[4].int ?? 1, align: row[5].text ?? "",
                             weights: row[6].text ?? "", members: members, fingerprint: row[8].text ?? "",
                             path: row[9].text ?? "")
        var withHash = spec
        withHash.contentSHA256 = row[11].text ?? ""
        return StoredModel(id: row[0].int ?? 0, runID: row[1].int ?? 0, spec: withHash, stale: (row[10].int ?? 0) != 0)
    }
}
