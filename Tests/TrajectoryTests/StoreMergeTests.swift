import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// Writes one model's rows for `steps` into the store at `path` (the same run, settings and dataset each time),
/// as an evaluation of those checkpoints would.
private func writeShard(_ path: String, steps: [Int], journal: ResultStore.Journal = .rollback,
                        settings: StoreSettings = StoreSettings(["shots": "4"]),
                        edit: (inout [PredictionRecord]) -> Void = { _ in }) throws {
    let store = try ResultStore(path: path, journal: journal)
    let run = try store.openRun(name: "run", source: "/ckpts", settings: settings)
    let dataset = try store.registerDataset(DatasetSpec(name: "jnli", contentHash: "h1", category: "NLI",
                                                        metrics: ["exact_match"], inputs: ["a", "b", "c", "d"]))
    try store.planDatasets(run: run.id, [(dataset: dataset.id, examples: 4)])
    for step in steps {
        let model = try store.registerModel(.raw(step: step, fingerprint: "f\(step)", path: "/ckpts/checkpoint-\(step)"),
                                            run: run.id)
        var records = syntheticPredictions(model: step / 100, dataset: "jnli", range: 0..<4)
        edit(&records)
        try store.insertPredictions(records, model: model.id, dataset: dataset.id)
        let main = Double(records.filter { $0.prediction == $0.gold }.count) / 4
        try store.setScore(DatasetScore(dataset: "jnli", category: "NLI", metrics: ["exact_match": main],
                                       mainMetric: "exact_match", main: main, sampleCount: 4),
                           model: model.id, dataset: dataset.id)
        try store.setAggregates(["NLI": main, "AVG": main], model: model.id)
    }
}

@Test func shardsMergeIntoTheStoreOneProcessWouldWriteAndAgainChangesNothing() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    try writeShard(dir.file("direct.sqlite"), steps: [100, 200, 300], journal: .wal)
    try writeShard(dir.file("a.sqlite"), steps: [200])
    try writeShard(dir.file("b.sqlite"), steps: [300, 100])
    try writeShard(dir.file("c.sqlite"), steps: [100])    // overlaps b: identical rows are kept once

    let main = try ResultStore(path: dir.file("main.sqlite"))
    let first = try main.merge(shards: [dir.file("a.sqlite"), dir.file("b.sqlite"), dir.file("c.sqlite")])
    #expect(first.shards == 3 && first.inserted["predictions"] == 12 && first.inserted["models"] == 3)
    #expect(try dumpRun(main) == dumpRun(try ResultStore(path: dir.file("direct.sqlite"), readOnly: true)))
    #expect(try RunStatus(store: main, run: try main.run(named: nil)).raw.allSatisfy(\.complete))

    let again = try main.merge(shards: [dir.file("b.sqlite"), dir.file("a.sqlite")])
    #expect(again.insertedTotal == 0 && again.identical > 0)
    #expect(try dumpRun(main) == dumpRun(try ResultStore(path: dir.file("direct.sqlite"), readOnly: true)))
}

/// `kasane merge` takes shard files or folders of them; with none found it opens (and creates) nothing.
@Test func mergeOfPathsTakesTheStoresInFoldersAndDoesNothingWithoutOne() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    for folder in ["shards", "empty"] {
        try FileManager.default.createDirectory(atPath: dir.file(folder), withIntermediateDirectories: true)
    }
    try writeShard(dir.file("shards/a.sqlite"), steps: [100])
    let main = dir.file("main.sqlite")
    #expect(try ResultStore.merge(shardsIn: [dir.file("empty")], into: main)
            == "merge: no shard stores in \(dir.file("empty")); nothing to do")
    #expect(!FileManager.default.fileExists(atPath: main))
    #expect(try ResultStore.merge(shardsIn: [dir.file("shards")], into: main).hasPrefix("merged 1 shard into \(main): "))
    #expect(throws: TrajectoryError.self) { try ResultStore.merge(shardsIn: [dir.file("missing")], into: main) }
}

@Test func aDifferingRowIsRefusedNamingBothStoresAndNothingIsWritten() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    try writeShard(dir.file("a.sqlite"), steps: [100])
    try writeShard(dir.file("new.sqlite"), steps: [200])
    try writeShard(dir.file("bad.sqlite"), steps: [100]) { $0[2].prediction = "たぶん" }
    let main = try ResultStore(path: dir.file("main.sqlite"))
    try main.merge(shards: [dir.file("a.sqlite")])
    let before = try dumpRun(main)
    do {
        // new.sqlite alone would merge; with bad.sqlite in the same call nothing lands.
        try main.merge(shards: [dir.file("new.sqlite"), dir.file("bad.sqlite")])
        Issue.record("expected a conflict")
    } catch let error as TrajectoryError {
        let text = error.description
        #expect(text.contains("main.sqlite") && text.contains("bad.sqlite"), "\(text)")
        #expect(text.contains("step 100") && text.contains("jnli") && text.contains("example 2"), "\(text)")
        #expect(text.contains("prediction") && !text.contains("\n"), "\(text)")
    }
    #expect(try dumpRun(main) == before)
}

@Test func aShardOfOtherSettingsOrAnotherRunIsRefused() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    try writeShard(dir.file("a.sqlite"), steps: [100])
    try writeShard(dir.file("shots0.sqlite"), steps: [200], settings: StoreSettings(["shots": "0"]))
    let other = try ResultStore(path: dir.file("other.sqlite"))
    _ = try other.openRun(name: "another", source: "/x", settings: StoreSettings(["shots": "4"]))
    let main = try ResultStore(path: dir.file("main.sqlite"))
    try main.merge(shards: [dir.file("a.sqlite")])
    let before = try dumpRun(main)
    for (shard, words) in [("shots0.sqlite", "other settings"), ("other.sqlite", "not a run of this store")] {
        #expect(throws: TrajectoryError.self) { try main.merge(shards: [dir.file(shard)]) }
        do { try main.merge(shards: [dir.file(shard)]) } catch {
            #expect("\(error)".contains(words) && "\(error)".contains(shard), "\(error)")
        }
    }
    #expect(try dumpRun(main) == before)
}

@Test func shardStoresUseTheRollbackJournal() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    try writeShard(dir.file("a.sqlite"), steps: [100])
    let store = try ResultStore(path: dir.file("a.sqlite"), journal: .rollback)
    #expect(try store.connection.query("PRAGMA journal_mode").first?.first?.text == "delete")
    #expect(!FileManager.default.fileExists(atPath: dir.file("a.sqlite-wal")))
    // Switching back to WAL (a store moved to one host) works too.
    let wal = try ResultStore(path: dir.file("a.sqlite"))
    #expect(try wal.connection.query("PRAGMA journal_mode").first?.first?.text == "wal")
}

@Test func mergeCopiesTheCostRowsOnceAndKeepsThemOnTheirModels() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    try writeShard(dir.file("a.sqlite"), steps: [100])
    try writeShard(dir.file("b.sqlite"), steps: [200])
    let a = try ResultStore(path: dir.file("a.sqlite"))
    try a.recordCost(model: try a.models(run: try a.run(named: nil).id)[0].id, seconds: 1.5, peakBytes: 4096)
    let main = try ResultStore(path: dir.file("main.sqlite"))
    // b has no model_costs table at all; a's one row lands on a's model, once however often it is merged.
    #expect(try main.merge(shards: [dir.file("b.sqlite"), dir.file("a.sqlite")]).inserted["model_costs"] == 1)
    #expect(try main.merge(shards: [dir.file("a.sqlite")]).inserted["model_costs"] == nil)
    let models = try main.models(run: try main.run(named: nil).id)
    let step100 = try #require(models.first { $0.step == 100 }), step200 = try #require(models.first { $0.step == 200 })
    #expect(try main.cost(model: step100.id)?.seconds == 1.5 && main.cost(model: step100.id)?.peakBytes == 4096)
    #expect(try main.cost(model: step200.id) == nil)
}
