import CSQLite
import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// A store written before the log-prob columns existed: the same file with those columns dropped again.
private func writeStoreWithoutLogprobColumns(_ path: String) throws -> (model: Int, dataset: Int) {
    let ids: (Int, Int)
    do {
        let store = try ResultStore(path: path, journal: .rollback)
        let run = try store.openRun(name: "run", source: "/ckpts", settings: StoreSettings(["shots": "4"]))
        let dataset = try store.registerDataset(DatasetSpec(name: "jnli", contentHash: "h1", category: "NLI",
                                                            metrics: ["exact_match"], inputs: ["a", "b"]))
        let model = try store.registerModel(.raw(step: 100, fingerprint: "f100", path: "/ckpts/checkpoint-100"), run: run.id)
        try store.insertPredictions(syntheticPredictions(model: 1, dataset: "jnli", range: 0..<2), model: model.id,
                                    dataset: dataset.id)
        ids = (model.id, dataset.id)
    }
    var db: OpaquePointer?
    sqlite3_open(path, &db)
    for (column, _) in StoreSchema.logprobColumns {
        #expect(sqlite3_exec(db, "ALTER TABLE predictions DROP COLUMN \(column)", nil, nil, nil) == SQLITE_OK)
    }
    sqlite3_close(db)
    return ids
}

private let scored = ExampleLogprobs(gold: -3.25, goldTokens: 2, prediction: -0.5, predictionTokens: 3)

@Test func storesMadeBeforeLogprobsOpenAndGainTheColumnsWithTheirRowsKept() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let path = dir.file("old.sqlite")
    let (model, dataset) = try writeStoreWithoutLogprobColumns(path)
    let before = syntheticPredictions(model: 1, dataset: "jnli", range: 0..<2)

    // Read-only: nothing is altered, the values read as absent.
    let reader = try ResultStore(path: path, readOnly: true)
    #expect(try reader.predictions(model: model, dataset: dataset) == before)

    // Opened for writing: the columns are added, old rows stay as they were, new rows keep their log-probs.
    let store = try ResultStore(path: path)
    #expect(try store.predictions(model: model, dataset: dataset) == before)
    var new = syntheticPredictions(model: 1, dataset: "jnli", range: 2..<3)
    new[0].logprobs = scored
    try store.insertPredictions(new, model: model, dataset: dataset)
    #expect(try store.predictions(model: model, dataset: dataset) == before + new)
}

@Test func mergeCarriesLogprobsFromNewShardsAndAcceptsOldOnes() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    _ = try writeStoreWithoutLogprobColumns(dir.file("old.sqlite"))
    let fresh = try ResultStore(path: dir.file("new.sqlite"), journal: .rollback)
    let run = try fresh.openRun(name: "run", source: "/ckpts", settings: StoreSettings(["shots": "4"]))
    let dataset = try fresh.registerDataset(DatasetSpec(name: "jnli", contentHash: "h1", category: "NLI",
                                                        metrics: ["exact_match"], inputs: ["a", "b"]))
    let model = try fresh.registerModel(.raw(step: 200, fingerprint: "f200", path: "/ckpts/checkpoint-200"), run: run.id)
    var records = syntheticPredictions(model: 2, dataset: "jnli", range: 0..<2)
    records[1].logprobs = scored
    try fresh.insertPredictions(records, model: model.id, dataset: dataset.id)

    let main = try ResultStore(path: dir.file("main.sqlite"))
    try main.merge(shards: [dir.file("old.sqlite"), dir.file("new.sqlite")])
    let mainRun = try main.run(named: "run")
    let models = try main.models(run: mainRun.id).sorted { $0.step < $1.step }
    let mainDataset = try #require(try main.allDatasets().first)
    #expect(try main.predictions(model: models[0].id, dataset: mainDataset.id).allSatisfy { $0.logprobs == nil })
    #expect(try main.predictions(model: models[1].id, dataset: mainDataset.id).map(\.logprobs) == [nil, scored])
}
