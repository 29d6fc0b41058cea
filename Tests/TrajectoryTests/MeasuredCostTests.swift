import Foundation
import Testing
@testable import Trajectory

/// The engine's counts in `model_costs`: a store whose table predates them stays readable, gets the columns when
/// next written, and its old passes make a model's counts unknown (estimated in the cost table, marked ≈).
@Test func modelCostsFromBeforeTheMeasuredColumnsStayReadableAndAreMigrated() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let db = dir.file("old.sqlite")
    let store = try ResultStore(path: db)
    let run = try store.openRun(name: "r", source: "s", settings: StoreSettings([:]))
    let old = try store.registerModel(.raw(step: 1, fingerprint: "a", path: ""), run: run.id)
    let new = try store.registerModel(.raw(step: 2, fingerprint: "b", path: ""), run: run.id)
    // The table as stores made before the measured columns hold it.
    try store.connection.execute("""
        CREATE TABLE model_costs (model_id INTEGER NOT NULL REFERENCES models(id), seconds REAL NOT NULL,
        peak_rss_bytes INTEGER, recorded_at TEXT NOT NULL);
        INSERT INTO model_costs VALUES (\(old.id), 2.5, 4096, '2026-01-01T00:00:00Z');
        """)
    let reader = try ResultStore(path: db, readOnly: true)
    #expect(try reader.cost(model: old.id)?.seconds == 2.5 && reader.cost(model: old.id)?.measured == nil)

    let counts = MeasuredPasses(forwardPasses: 30, prefillTokens: 100, reusedPrefixTokens: 40, decodeTokens: 26,
                                scoredTokens: 12)
    try store.recordCost(model: old.id, seconds: 1, peakBytes: nil, measured: counts)
    try store.recordCost(model: new.id, seconds: 1, peakBytes: nil, measured: counts)
    try store.recordCost(model: new.id, seconds: 1, peakBytes: nil, measured: counts)
    #expect(try store.cost(model: old.id)?.seconds == 3.5 && store.cost(model: old.id)?.measured == nil)
    #expect(try store.cost(model: new.id)?.measured == MeasuredPasses(forwardPasses: 60, prefillTokens: 200,
                                                                       reusedPrefixTokens: 80, decodeTokens: 52,
                                                                       scoredTokens: 24))

    let estimated = MethodCost(method: .raw, window: 1, positions: 2, forwardPasses: 70, seconds: 1, peakBytes: nil)
    var measured = estimated
    measured.measured = true
    #expect(estimated.forwardPassesText == "≈70" && measured.forwardPassesText == "70")
    #expect(StabilityExport.costText([estimated]).contains("≈: estimated"))
}
