import Foundation

extension ResultStore {
    /// Appends the cost of one pass over a model (a resumed pass adds another row).
    public func recordCost(model: Int, seconds: Double, peakBytes: Int?) throws {
        try transaction {
            try connection.execute(StoreSchema.modelCosts)
            try connection.query(
                "INSERT INTO model_costs (model_id, seconds, peak_rss_bytes, recorded_at) VALUES (?, ?, ?, ?)",
                [SQLValue(model), .double(seconds), peakBytes.map { SQLValue($0) } ?? .null, SQLValue(ResultStore.now())])
        }
    }

    /// Seconds summed over a model's passes and the largest peak; nil when none was recorded.
    public func cost(model: Int) throws -> (seconds: Double, peakBytes: Int?)? {
        try locked {
            guard try hasTableUnlocked("model_costs"), let row = try connection.query(
                "SELECT count(*), coalesce(sum(seconds), 0), max(peak_rss_bytes) FROM model_costs WHERE model_id = ?",
                [SQLValue(model)]).first, (row[0].int ?? 0) > 0 else { return nil }
            return (row[1].double ?? 0, row[2].int)
        }
    }

    /// Whether the store has a table (those created when first written, like `model_costs`).
    public func hasTable(_ name: String) throws -> Bool { try locked { try hasTableUnlocked(name) } }

    func hasTableUnlocked(_ name: String) throws -> Bool {
        try connection.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                             [SQLValue(name)]).first?.first?.int == 1
    }
}
