import Foundation

/// What `merge(shards:)` added.
public struct MergeSummary: Sendable, Equatable {
    public var shards = 0
    /// Rows inserted per table; rows already present and identical are not counted.
    public var inserted: [String: Int] = [:]
    public var identical = 0
    public var insertedTotal: Int { inserted.values.reduce(0, +) }

    /// "N shards into DB: 3 models, 120 predictions (5 rows already there)".
    public func line(db: String) -> String {
        let added = inserted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return "merged \(shards) shard\(shards == 1 ? "" : "s") into \(db): " + (added.isEmpty ? "nothing new" : added)
            + " (\(identical) rows already there)"
    }

    /// Shard store files from paths that are files or folders (a folder means every *.sqlite in it, by name).
    static func shardFiles(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TrajectoryError.missingFile(path: path, what: "shard store")
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.filter { $0.hasSuffix(".sqlite") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }
}

extension ResultStore {
    /// `kasane merge`: the shard stores among `paths` (files, or folders of *.sqlite) folded into the store at `db`,
    /// created if missing; with no shard store, not even that. Returns what was done, as one line.
    public static func merge(shardsIn paths: [String], into db: String) throws -> String {
        let files = try MergeSummary.shardFiles(paths)
        if files.isEmpty { return "merge: no shard stores in \(paths.joined(separator: " ")); nothing to do" }
        return try ResultStore(path: db).merge(shards: files).line(db: db)
    }

    /// Folds shard stores (evaluated elsewhere: Slurm tasks, other machines) into this store, in ONE transaction:
    /// either every shard lands or nothing is written. Idempotent: a row already here and identical is kept once.
    /// Refused with a one-line error naming both files, before anything is written:
    /// - a row whose key is here with other values (the same example predicted differently);
    /// - a shard run whose name this store holds under other settings, or, when this store already has runs,
    ///   a run it does not hold at all (a shard of another run).
    /// Shards are only read. Ids are remapped by natural keys (run name + settings hash, dataset name + content
    /// hash, the model's unique key), so shards written independently merge in any order.
    @discardableResult
    public func merge(shards: [String]) throws -> MergeSummary {
        let opened = try shards.map { try ResultStore(path: $0, readOnly: true) }
        var summary = MergeSummary()
        try transaction {
            let hadRuns = try !connection.query("SELECT 1 FROM runs LIMIT 1").isEmpty
            for shard in opened {
                try ShardMerge(main: self, shard: shard, requireKnownRuns: hadRuns).run(into: &summary)
                summary.shards += 1
            }
        }
        return summary
    }
}

/// One shard's rows into the main store, inside the main store's open transaction.
private struct ShardMerge {
    let main: ResultStore
    let shard: ResultStore
    let requireKnownRuns: Bool

    private var target: SQLiteConnection { main.connection }
    private var source: SQLiteConnection { shard.connection }

    func run(into summary: inout MergeSummary) throws {
        let runs = try mapRuns()
        let datasets = try mapKeyed(table: "datasets", key: ["name", "content_hash"], values: ["category", "metrics"])
        try copy(table: "examples", key: ["dataset_id", "example"], values: ["input"],
                 remap: ["dataset_id": datasets], into: &summary)
        try copy(table: "run_datasets", key: ["run_id", "dataset_id"], values: ["planned_examples"],
                 remap: ["run_id": runs, "dataset_id": datasets], into: &summary)
        let models = try mapModels(runs: runs, into: &summary)
        let ids: [String: [Int: Int]] = ["model_id": models, "dataset_id": datasets]
        try copy(table: "predictions", key: ["model_id", "dataset_id", "example"],
                 values: ["prompt_hash", "prompt_tokens", "generated", "prediction", "gold", "metrics"],
                 carried: shard.hasLogprobColumns ? StoreSchema.logprobColumns.map(\.0) : [],
                 remap: ids, into: &summary)
        try copy(table: "scores", key: ["model_id", "dataset_id"],
                 values: ["category", "metrics", "main_metric", "main", "examples"], remap: ids, into: &summary)
        try copy(table: "aggregates", key: ["model_id", "name"], values: ["value"], remap: ids, into: &summary)
        // Timings have no key: a row is new unless an identical one is there.
        try copy(table: "timings", key: ["model_id", "dataset_id", "seconds", "examples", "generated_tokens", "recorded_at"],
                 values: [], remap: ids, into: &summary)
        // Costs (the sweep's cost table) likewise; the table exists only in stores that recorded one.
        if try shard.hasTable("model_costs") {
            try ResultStore.prepareCostTable(target)
            try copy(table: "model_costs", key: ["model_id", "seconds", "peak_rss_bytes", "recorded_at"], values: [],
                     carried: try ResultStore.hasMeasuredCosts(source) ? StoreSchema.measuredCostColumns.map(\.0) : [],
                     remap: ids, into: &summary)
        }
    }

    private func conflict(_ what: String) -> TrajectoryError {
        .store(path: main.path, reason: "cannot merge \(shard.path): \(what); nothing was written")
    }

    /// Shard run id → main run id.
    private func mapRuns() throws -> [Int: Int] {
        var map: [Int: Int] = [:]
        for row in try source.query("SELECT id, name, source, settings_hash, settings, created_at FROM runs") {
            let name = row[1].text ?? "", hash = row[3].text ?? ""
            let here = try target.query("SELECT id, settings_hash FROM runs WHERE name = ?", [SQLValue(name)])
            if let same = here.first(where: { $0[1].text == hash }), let id = same[0].int {
                map[row[0].int ?? 0] = id
                continue
            }
            if !here.isEmpty {
                throw conflict("its run '\(name)' has other settings (hash \(hash.prefix(12)) vs \(here[0][1].text?.prefix(12) ?? ""))")
            }
            if requireKnownRuns { throw conflict("its run '\(name)' is not a run of this store") }
            try target.query("INSERT INTO runs (name, source, settings_hash, settings, created_at) VALUES (?, ?, ?, ?, ?)",
                             Array(row[1...]))
            map[row[0].int ?? 0] = target.lastInsertRowID
        }
        return map
    }

    /// Rows with an id and a natural key (datasets): shard id → main id, inserting missing rows.
    private func mapKeyed(table: String, key: [String], values: [String]) throws -> [Int: Int] {
        var map: [Int: Int] = [:]
        let columns = key + values
        let match = key.map { "\($0) IS ?" }.joined(separator: " AND ")
        for row in try source.query("SELECT id, \(columns.joined(separator: ", ")) FROM \(table)") {
            let keyValues = Array(row[1...key.count]), rest = Array(row[(key.count + 1)...])
            if let existing = try target.query("SELECT id, \(values.joined(separator: ", ")) FROM \(table) WHERE \(match)",
                                               keyValues).first {
                if Array(existing[1...]) != rest {
                    throw conflict("\(table) row \(describe(keyValues)) differs")
                }
                map[row[0].int ?? 0] = existing[0].int ?? 0
            } else {
                try insert(table: table, columns: columns, values: keyValues + rest)
                map[row[0].int ?? 0] = target.lastInsertRowID
            }
        }
        return map
    }

    /// Models: keyed by their unique key with the run remapped. A live (non-stale) model whose slot holds another
    /// live fingerprint here is a conflict: the checkpoint changed between the two evaluations.
    private func mapModels(runs: [Int: Int], into summary: inout MergeSummary) throws -> [Int: Int] {
        var map: [Int: Int] = [:]
        let slot = ["kind", "step", "window", "align", "weights"]
        let rest = ["members", "fingerprint", "content_sha256", "path", "stale", "created_at"]
        for row in try source.query("SELECT id, run_id, \((slot + rest).joined(separator: ", ")) FROM models") {
            guard let run = runs[row[1].int ?? -1] else { throw conflict("model #\(row[0].int ?? 0) names no run") }
            let slotValues = [SQLValue(run)] + Array(row[2..<7])
            let fingerprint = row[8], stale = row[11].int ?? 0
            let here = try target.query(
                "SELECT id, fingerprint, stale, members FROM models WHERE run_id = ? AND kind = ? AND step = ?"
                    + " AND window = ? AND align = ? AND weights = ?", slotValues)
            if let same = here.first(where: { $0[1] == fingerprint }), let id = same[0].int {
                if same[3] != row[7] { throw conflict("model \(describe(slotValues)) has other members") }
                map[row[0].int ?? 0] = id
                summary.identical += 1
                continue
            }
            if stale == 0, let live = here.first(where: { $0[2].int == 0 }) {
                throw conflict("model \(describe(Array(slotValues.dropFirst()))) has fingerprint "
                               + "\(fingerprint.text?.prefix(12) ?? "") in the shard but \(live[1].text?.prefix(12) ?? "") here")
            }
            try insert(table: "models", columns: ["run_id"] + slot + rest, values: slotValues + Array(row[7...]))
            map[row[0].int ?? 0] = target.lastInsertRowID
            summary.inserted["models", default: 0] += 1
        }
        return map
    }

    /// Rows without an id of their own: inserted when their (remapped) key is new, compared when it is not.
    /// `carried` columns are copied with a new row but never compared: log-probs of the same prediction may differ
    /// in the last bits between machines, and a row here keeps its own.
    private func copy(table: String, key: [String], values: [String], carried: [String] = [],
                      remap: [String: [Int: Int]], into summary: inout MergeSummary) throws {
        let columns = key + values + carried
        let match = key.map { "\($0) IS ?" }.joined(separator: " AND ")
        let lookup = try target.prepare("SELECT \((values.isEmpty ? ["1"] : values).joined(separator: ", ")) FROM \(table) WHERE \(match)")
        let add = try target.prepare("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
        let read = try source.prepare("SELECT \(columns.joined(separator: ", ")) FROM \(table)")
        try read.bind([])
        while try read.step() {
            var row = read.row()
            for (index, column) in columns.enumerated() {
                guard let map = remap[column] else { continue }
                guard let id = map[row[index].int ?? -1] else {
                    throw conflict("\(table).\(column) \(row[index].int ?? 0) names no row of the shard")
                }
                row[index] = SQLValue(id)
            }
            let keyValues = Array(row[..<key.count])
            try lookup.bind(keyValues)
            if try lookup.step() {
                let existing = lookup.row()
                let compared = Array(row[key.count..<(key.count + values.count)])
                if !values.isEmpty && existing != compared {
                    let differing = zip(values, zip(existing, compared)).filter { $1.0 != $1.1 }.map(\.0)
                    throw conflict("\(table) row \(try label(columns: key, values: keyValues)) differs in \(differing.joined(separator: ", "))")
                }
                summary.identical += 1
            } else {
                try add.run(row)
                summary.inserted[table, default: 0] += 1
            }
        }
    }

    private func insert(table: String, columns: [String], values: [SQLValue]) throws {
        let marks = columns.map { _ in "?" }.joined(separator: ", ")
        try target.query("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(marks))", values)
    }

    /// A key in words: model and dataset ids become the model's kind/step/window and the dataset's name.
    private func label(columns: [String], values: [SQLValue]) throws -> String {
        var parts: [String] = []
        for (column, value) in zip(columns, values) {
            switch column {
            case "model_id":
                let row = try target.query("SELECT kind, step, window FROM models WHERE id = ?", [value]).first
                parts.append("model \(row?[0].text ?? "?") step \(row?[1].int ?? 0) window \(row?[2].int ?? 1)")
            case "dataset_id":
                let row = try target.query("SELECT name FROM datasets WHERE id = ?", [value]).first
                parts.append("dataset \(row?[0].text ?? "?")")
            default: parts.append("\(column) \(describe([value]).dropFirst().dropLast())")
            }
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    private func describe(_ values: [SQLValue]) -> String {
        "(" + values.map { v -> String in
            switch v {
            case .null: return "null"
            case let .int(i): return "\(i)"
            case let .double(d): return "\(d)"
            case let .text(t): return "'\(t.prefix(40))'"
            }
        }.joined(separator: ", ") + ")"
    }
}
