import CSQLite
@testable import Evaluation
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

/// Every export carries the log-probs of the rows that have them and leaves them out (empty in CSV) elsewhere.
@Test func exportsCarryLogprobsWhereStored() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let store = try ResultStore(path: dir.file("s.sqlite"))
    let run = try store.openRun(name: "run", source: "/ckpts", settings: StoreSettings(["shots": "4"]))
    let dataset = try store.registerDataset(DatasetSpec(name: "jnli", contentHash: "h1", category: "NLI",
                                                        metrics: ["exact_match"], inputs: ["a", "b"]))
    try store.planDatasets(run: run.id, [(dataset: dataset.id, examples: 2)])
    let model = try store.registerModel(.raw(step: 100, fingerprint: "f100", path: "/ckpts/checkpoint-100"), run: run.id)
    var records = syntheticPredictions(model: 1, dataset: "jnli", range: 0..<2)
    records[0].logprobs = scored
    try store.insertPredictions(records, model: model.id, dataset: dataset.id)

    let exporter = StoreExporter(store: store, runs: try store.runs())
    let jsonl = try String(contentsOfFile: try exporter.export(.jsonl, to: dir.file("j"))[0], encoding: .utf8)
        .split(separator: "\n")
    #expect(jsonl[0].contains("\"gold_logprob\":-3.25") && jsonl[0].contains("\"prediction_tokens\":3"))
    #expect(!jsonl[1].contains("logprob"))

    let csv = try #require(CSVRecords.parse(try String(contentsOfFile: try exporter.export(.csv, to: dir.file("c"))[0],
                                                       encoding: .utf8)))
    let header = csv[0]
    let column = try #require(header.firstIndex(of: "gold_logprob"))
    #expect(header[column...].prefix(4) == ["gold_logprob", "gold_tokens", "prediction_logprob", "prediction_tokens"])
    #expect(csv[1][column] == "-3.25" && csv[1][column + 3] == "3" && csv[2][column] == "")

    let samples = try exporter.export(.lmEval, to: dir.file("l")).first { $0.contains("samples_jnli") }
    let lines = try String(contentsOfFile: try #require(samples), encoding: .utf8).split(separator: "\n")
    #expect(lines[0].contains("\"gold_logprob\":-3.25") && !lines[1].contains("gold_logprob"))
}
