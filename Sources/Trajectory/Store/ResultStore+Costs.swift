import Foundation
import Llama

/// What the engine counted while it evaluated one model in one pass (`GenerationStats`), in the cost table's unit.
public struct MeasuredPasses: Sendable, Codable, Equatable {
    /// Forward passes per sequence: one prefill per evaluated example plus one per decode step of each sequence.
    public var forwardPasses: Int
    /// Prompt tokens computed, and those taken from the prefix cache instead.
    public var prefillTokens: Int
    public var reusedPrefixTokens: Int
    /// Tokens fed through decode steps (the first generated token comes from the prefill).
    public var decodeTokens: Int
    /// Gold continuation tokens fed teacher-forced for the log-probs.
    public var scoredTokens: Int

    public init(forwardPasses: Int, prefillTokens: Int, reusedPrefixTokens: Int, decodeTokens: Int, scoredTokens: Int) {
        self.forwardPasses = forwardPasses; self.prefillTokens = prefillTokens
        self.reusedPrefixTokens = reusedPrefixTokens; self.decodeTokens = decodeTokens; self.scoredTokens = scoredTokens
    }

    /// A pass over `examples` new examples with these generator counts.
    public init(examples: Int, stats: GenerationStats) {
        self.init(forwardPasses: examples + stats.decodeTokens, prefillTokens: stats.prefillTokens,
                  reusedPrefixTokens: stats.reusedPrefixTokens, decodeTokens: stats.decodeTokens,
                  scoredTokens: stats.scoredTokens)
    }

    var values: [Int] { [forwardPasses, prefillTokens, reusedPrefixTokens, decodeTokens, scoredTokens] }
}

extension ResultStore {
    /// Appends the cost of one pass over a model (a resumed pass adds another row), with what the engine counted.
    public func recordCost(model: Int, seconds: Double, peakBytes: Int?, measured: MeasuredPasses? = nil) throws {
        try transaction {
            try Self.prepareCostTable(connection)
            let columns = StoreSchema.measuredCostColumns.map(\.0).joined(separator: ", ")
            let counts = measured?.values.map { SQLValue($0) } ?? Array(repeating: .null, count: 5)
            try connection.query(
                "INSERT INTO model_costs (model_id, seconds, peak_rss_bytes, recorded_at, \(columns))"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [SQLValue(model), .double(seconds), peakBytes.map { SQLValue($0) } ?? .null, SQLValue(ResultStore.now())]
                    + counts)
        }
    }

    /// Seconds summed over a model's passes, the largest peak, and the engine's counts summed when every pass has
    /// them (else nil: a pass recorded before they were, or by a generator that does not count); nil when no pass
    /// was recorded.
    public func cost(model: Int) throws -> (seconds: Double, peakBytes: Int?, measured: MeasuredPasses?)? {
        try locked {
            guard try hasTableUnlocked("model_costs") else { return nil }
            let measuredColumns = StoreSchema.measuredCostColumns.map(\.0)
            let counted = try Self.hasMeasuredCosts(connection)
            let sums = counted ? ", count(forward_passes), " + measuredColumns.map { "sum(\($0))" }.joined(separator: ", ") : ""
            guard let row = try connection.query(
                "SELECT count(*), coalesce(sum(seconds), 0), max(peak_rss_bytes)\(sums) FROM model_costs WHERE model_id = ?",
                [SQLValue(model)]).first, let passes = row[0].int, passes > 0 else { return nil }
            var measured: MeasuredPasses?
            if counted, row[3].int == passes {
                let v = row[4...].map { $0.int ?? 0 }
                measured = MeasuredPasses(forwardPasses: v[0], prefillTokens: v[1], reusedPrefixTokens: v[2],
                                          decodeTokens: v[3], scoredTokens: v[4])
            }
            return (row[1].double ?? 0, row[2].int, measured)
        }
    }

    /// `model_costs` created when first written, and the measured columns added to one made before them.
    static func prepareCostTable(_ connection: SQLiteConnection) throws {
        try connection.execute(StoreSchema.modelCosts)
        guard try !hasMeasuredCosts(connection) else { return }
        let present = Set(try connection.query("PRAGMA table_info(model_costs)").compactMap { $0[1].text })
        for (name, type) in StoreSchema.measuredCostColumns where !present.contains(name) {
            try connection.execute("ALTER TABLE model_costs ADD COLUMN \(name) \(type)")
        }
    }

    /// Whether `model_costs` has the measured columns (false for a store whose table predates them).
    static func hasMeasuredCosts(_ connection: SQLiteConnection) throws -> Bool {
        let present = Set(try connection.query("PRAGMA table_info(model_costs)").compactMap { $0[1].text })
        return StoreSchema.measuredCostColumns.allSatisfy { present.contains($0.0) }
    }

    /// Whether the store has a table (those created when first written, like `model_costs`).
    public func hasTable(_ name: String) throws -> Bool { try locked { try hasTableUnlocked(name) } }

    func hasTableUnlocked(_ name: String) throws -> Bool {
        try connection.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                             [SQLValue(name)]).first?.first?.int == 1
    }
}
