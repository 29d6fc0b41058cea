import Evaluation
import CSQLite
import Foundation
import Testing
@testable import Trajectory

private func makeStore(_ dir: TempDir) throws -> (ResultStore, StoredRun, StoredDataset) {
    let store = try ResultStore(path: dir.file("results.sqlite"))
    let run = try store.openRun(name: "run", source: "/ckpts", settings: StoreSettings(["shots": "4"]))
    let dataset = try store.registerDataset(DatasetSpec(name: "jnli", contentHash: "h1", category: "NLI",
                                                        metrics: ["exact_match"], inputs: ["a", "b", "c"]))
    return (store, run, dataset)
}

@Test func storeRoundTripsRunsModelsPredictionsAndScores() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, run, dataset) = try makeStore(dir)
    let m200 = try store.registerModel(.raw(step: 200, fingerprint: "f200", path: "/ckpts/checkpoint-200"), run: run.id)
    let m100 = try store.registerModel(.raw(step: 100, fingerprint: "f100", path: "/ckpts/checkpoint-100"), run: run.id)
    #expect(try store.models(run: run.id).map(\.step) == [100, 200])

    var records = syntheticPredictions(model: m100.id, dataset: "jnli", range: 0..<3)
    records[1].generated = "nul\u{0}inside 日本語"
    records[2].metrics["pearson"] = .nan
    #expect(try store.insertPredictions(records, model: m100.id, dataset: dataset.id) == 3)
    // The same examples again: nothing is duplicated and the first write stays.
    var changed = records
    changed[0].prediction = "other"
    #expect(try store.insertPredictions(changed, model: m100.id, dataset: dataset.id) == 0)
    let back = try store.predictions(model: m100.id, dataset: dataset.id)
    #expect(back.count == 3)
    #expect(back[0] == records[0] && back[1] == records[1])
    #expect(back[2].metrics["pearson"]?.isNaN == true)
    #expect(try store.storedExamples(model: m100.id, dataset: dataset.id) == [0, 1, 2])
    #expect(try store.storedExamples(model: m200.id, dataset: dataset.id).isEmpty)
    // replace: true overwrites.
    #expect(try store.insertPredictions(changed, model: m100.id, dataset: dataset.id, replace: true) == 3)
    #expect(try store.predictions(model: m100.id, dataset: dataset.id)[0].prediction == "other")

    let score = DatasetScore(dataset: "jnli", category: "NLI", metrics: ["exact_match": 0.5], mainMetric: "exact_match",
                            main: 0.5, sampleCount: 3)
    try store.setScore(score, model: m100.id, dataset: dataset.id)
    try store.setAggregates(["NLI": 0.5, "AVG": 0.25], model: m100.id)
    #expect(try store.scores(model: m100.id) == [score])
    #expect(try store.aggregates(model: m100.id) == ["NLI": 0.5, "AVG": 0.25])
    #expect(try store.inputs(dataset: dataset.id) == [0: "a", 1: "b", 2: "c"])

    // Everything survives reopening; the same run comes back for the same name and settings.
    let reopened = try ResultStore(path: store.path)
    let again = try reopened.openRun(name: "run", source: "/elsewhere", settings: StoreSettings(["shots": "4"]))
    #expect(again.id == run.id && again.source == "/ckpts")
    let other = try reopened.openRun(name: "run", source: "/ckpts", settings: StoreSettings(["shots": "0"]))
    #expect(other.id != run.id)
    #expect(try reopened.predictions(model: m100.id, dataset: dataset.id).count == 3)
    #expect(try reopened.registerDataset(DatasetSpec(name: "jnli", contentHash: "h1", category: "NLI",
                                                     metrics: ["exact_match"])).id == dataset.id)
    #expect(try reopened.registerDataset(DatasetSpec(name: "jnli", contentHash: "h2", category: "NLI",
                                                     metrics: ["exact_match"])).id != dataset.id)
}

@Test func storeUsesWALAndSchemaVersion() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, _, _) = try makeStore(dir)
    #expect(try store.connection.query("PRAGMA journal_mode").first?.first?.text == "wal")
    #expect(try store.connection.query("PRAGMA user_version").first?.first?.int == ResultStore.schemaVersion)
}

@Test func newFingerprintMarksOlderModelStale() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, run, dataset) = try makeStore(dir)
    let old = try store.registerModel(.raw(step: 100, fingerprint: "old", path: "p"), run: run.id)
    try store.insertPredictions(syntheticPredictions(model: 1, dataset: "jnli", range: 0..<2), model: old.id,
                                dataset: dataset.id)
    let new = try store.registerModel(.raw(step: 100, fingerprint: "new", path: "p"), run: run.id)
    #expect(new.id != old.id)
    #expect(try store.models(run: run.id).map(\.id) == [new.id])
    #expect(try store.models(run: run.id, includeStale: true).count == 2)
    #expect(try store.predictions(model: old.id, dataset: dataset.id).count == 2)
    // Back to the old fingerprint: the old row (and its results) is current again.
    #expect(try store.registerModel(.raw(step: 100, fingerprint: "old", path: "p"), run: run.id).id == old.id)
    #expect(try store.models(run: run.id).map(\.id) == [old.id])
}

@Test func variantsAreSeparateModelsOfTheRun() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, run, _) = try makeStore(dir)
    try store.registerModel(.raw(step: 300, fingerprint: "a", path: "p"), run: run.id)
    let ens = try store.registerModel(ModelSpec(kind: .ensemble, step: 300, window: 3, align: "trailing",
                                                weights: "uniform", members: [100, 200, 300], fingerprint: "e"),
                                      run: run.id)
    #expect(try store.model(id: ens.id).spec.members == [100, 200, 300])
    #expect(try store.models(run: run.id, kind: .ensemble).map(\.id) == [ens.id])
    #expect(try store.models(run: run.id).count == 2)
}

/// Returns the file's bytes, to check that a refused store was not modified.
private func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

@Test func incompatibleSchemaVersionIsRefusedUntouched() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let path = dir.file("results.sqlite")
    do {
        let (store, _, _) = try makeStore(dir)
        try store.connection.execute("PRAGMA user_version = 99")
        try store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
    let before = bytes(path)
    #expect(throws: TrajectoryError.self) { try ResultStore(path: path) }
    do {
        _ = try ResultStore(path: path)
    } catch {
        #expect("\(error)".contains("schema version 99"))
        #expect("\(error)".contains("untouched"))
    }
    #expect(bytes(path) == before)
}

@Test func foreignFilesAreRefusedUntouched() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    // Another program's SQLite database.
    let foreign = dir.file("other.sqlite")
    var db: OpaquePointer?
    sqlite3_open(foreign, &db)
    sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)", nil, nil, nil)
    sqlite3_close(db)
    let before = bytes(foreign)
    #expect(throws: TrajectoryError.self) { try ResultStore(path: foreign) }
    #expect(bytes(foreign) == before)
    // Not SQLite at all.
    let text = dir.file("notes.sqlite")
    try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: text))
    let textBefore = bytes(text)
    do {
        _ = try ResultStore(path: text)
        Issue.record("a text file opened as a store")
    } catch {
        #expect("\(error)".contains("not a SQLite database"))
    }
    #expect(bytes(text) == textBefore)
}

@Test func unwritablePathsGiveClearErrors() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    #expect(throws: TrajectoryError.self) { try ResultStore(path: dir.file("missing/results.sqlite")) }
    #expect(throws: TrajectoryError.self) { try ResultStore(path: dir.path) }
    #expect(throws: TrajectoryError.self) { try ResultStore(path: dir.file("absent.sqlite"), readOnly: true) }
}

@Test func readOnlyStoreRefusesWritesAndKeepsData() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, run, dataset) = try makeStore(dir)
    let model = try store.registerModel(.raw(step: 1, fingerprint: "f", path: "p"), run: run.id)
    try store.insertPredictions(syntheticPredictions(model: 0, dataset: "jnli", range: 0..<3), model: model.id,
                                dataset: dataset.id)
    let reader = try ResultStore(path: store.path, readOnly: true)
    #expect(throws: TrajectoryError.self) {
        try reader.insertPredictions(syntheticPredictions(model: 0, dataset: "jnli", range: 3..<5), model: model.id,
                                     dataset: dataset.id)
    }
    #expect(try reader.predictions(model: model.id, dataset: dataset.id).count == 3)
    // File permissions (not enforced for root, who may write anyway).
    if geteuid() != 0 {
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: store.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.path) }
        do {
            _ = try ResultStore(path: store.path)
            Issue.record("a read-only file opened for writing")
        } catch { #expect("\(error)".contains("read-only")) }
    }
}

@Test func fullDiskFailsTheBatchAndKeepsEarlierBatches() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, run, dataset) = try makeStore(dir)
    let model = try store.registerModel(.raw(step: 1, fingerprint: "f", path: "p"), run: run.id)
    try store.insertPredictions(syntheticPredictions(model: 0, dataset: "jnli", range: 0..<10), model: model.id,
                                dataset: dataset.id)
    // Cap the database at its current size: the next batch cannot fit, as on a full disk.
    let pages = try store.connection.query("PRAGMA page_count").first?.first?.int ?? 0
    try store.connection.execute("PRAGMA max_page_count = \(pages)")
    var big = syntheticPredictions(model: 0, dataset: "jnli", range: 10..<400)
    for i in big.indices { big[i].generated = String(repeating: "長い出力", count: 200) }
    do {
        try store.insertPredictions(big, model: model.id, dataset: dataset.id)
        Issue.record("a batch larger than the disk was written")
    } catch {
        #expect("\(error)".contains("disk is full"))
    }
    #expect(try store.storedExamples(model: model.id, dataset: dataset.id) == Set(0..<10))
}

@Test func twoConnectionsWriteConcurrently() async throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, run, dataset) = try makeStore(dir)
    let path = store.path
    let ids = try [1, 2].map { try store.registerModel(.raw(step: $0, fingerprint: "f\($0)", path: "p"), run: run.id).id }
    try await withThrowingTaskGroup(of: Void.self) { group in
        for id in ids {
            group.addTask {
                let writer = try ResultStore(path: path)
                for batch in 0..<20 {
                    try writer.insertPredictions(syntheticPredictions(model: id, dataset: "jnli",
                                                                      range: batch * 5..<(batch + 1) * 5),
                                                 model: id, dataset: dataset.id)
                }
            }
        }
        try await group.waitForAll()
    }
    for id in ids { #expect(try store.storedExamples(model: id, dataset: dataset.id) == Set(0..<100)) }
}

@Test func concurrentFirstOpensAllSeeOneSchema() async throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    for round in 0..<20 {
        let path = dir.file("fresh-\(round).sqlite")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<6 {
                group.addTask {
                    let store = try ResultStore(path: path)
                    let run = try store.openRun(name: "run", source: "s", settings: StoreSettings([:]))
                    try store.registerModel(.raw(step: writer, fingerprint: "f\(writer)", path: "p"), run: run.id)
                }
            }
            try await group.waitForAll()
        }
        let store = try ResultStore(path: path, readOnly: true)
        #expect(try store.runs().count == 1)
        #expect(try store.models(run: 1).count == 6)
    }
}
