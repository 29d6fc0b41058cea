import Foundation
import Testing
@testable import Trajectory

/// A small RFC 4180 reader for checking the export (quoted fields with commas, quotes and line breaks).
private func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var quoted = false
    var chars = Array(text)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" { quoted = true
        } else if c == "," { row.append(field); field = ""
        } else if c == "\r\n" || c == "\n" { row.append(field); rows.append(row); row = []; field = ""
        } else { field.append(c) }
    }
    return rows
}

private func filledStore(_ dir: TempDir, crashAfterBatches: Int? = nil) throws -> (ResultStore, [Checkpoint]) {
    for step in [100, 200, 300] { try writeFakeCheckpoint(dir.file("ckpts/checkpoint-\(step)"), seed: Float(step)) }
    let checkpoints = try CheckpointIndex(path: dir.file("ckpts")).checkpoints
    let store = try ResultStore(path: dir.file("r.sqlite"))
    let runner = try SyntheticModels(crashAfterBatches: crashAfterBatches).runner(store, runName: "ckpts")
    _ = try? runner.run(checkpoints)
    return (store, checkpoints)
}

@Test func csvExportHoldsEveryRowAndQuotesFields() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, _) = try filledStore(dir)
    let paths = try StoreExporter(store: store, runs: try store.runs()).export(.csv, to: dir.file("out"))
    #expect(paths.map { ($0 as NSString).lastPathComponent } == ["predictions.csv", "scores.csv", "aggregates.csv"])
    let predictions = parseCSV(try String(contentsOfFile: paths[0], encoding: .utf8))
    let header = predictions[0]
    #expect(predictions.count == 1 + 3 * 12)
    #expect(predictions.allSatisfy { $0.count == header.count })
    let generated = header.firstIndex(of: "generated")!, step = header.firstIndex(of: "step")!
    let input = header.firstIndex(of: "input")!, em = header.firstIndex(of: "exact_match")!
    #expect(predictions[1][generated].hasSuffix("\n\n"))
    #expect(predictions[1][step] == "100" && predictions[1][input] == "入力0")
    #expect(["0.0", "1.0"].contains(predictions[1][em]))
    let scores = parseCSV(try String(contentsOfFile: paths[1], encoding: .utf8))
    #expect(scores.count == 1 + 3 * 2)
    let aggregates = parseCSV(try String(contentsOfFile: paths[2], encoding: .utf8))
    #expect(aggregates.count == 4 && aggregates[0].last == "AVG")
}

@Test func jsonlExportParses() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, _) = try filledStore(dir)
    let paths = try StoreExporter(store: store, runs: try store.runs()).export(.jsonl, to: dir.file("out"))
    let lines = try String(contentsOfFile: paths[0], encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 36)
    let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
    #expect(first?["dataset"] as? String == "jnli")
    #expect((first?["metrics"] as? [String: Any])?["exact_match"] != nil)
    #expect(first?["members"] as? [Int] == [100])
}

@Test func exportOfAStorePathTakesTheNamedRunOrEveryRun() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, checkpoints) = try filledStore(dir)
    _ = try SyntheticModels().runner(store, runName: "other").run(checkpoints)
    #expect(try StoreExporter(db: store.path, run: nil).runs.map(\.name) == ["ckpts", "other"])
    #expect(try StoreExporter(db: store.path, run: "other").runs.map(\.name) == ["other"])
    #expect(throws: TrajectoryError.self) { try StoreExporter(db: store.path, run: "missing") }
}

@Test func lmEvalExportWritesResultsAndSamplesPerModel() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, _) = try filledStore(dir)
    let paths = try StoreExporter(store: store, runs: try store.runs()).export(.lmEval, to: dir.file("out"))
    let results = paths.filter { ($0 as NSString).lastPathComponent.hasPrefix("results_") }
    let samples = paths.filter { ($0 as NSString).lastPathComponent.hasPrefix("samples_jnli_") }
    #expect(results.count == 3 && samples.count == 3)
    #expect(results[0].contains("/ckpts__step100/"))
    let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: results[0]))) as? [String: Any]
    let jnli = (document?["results"] as? [String: Any])?["jnli"] as? [String: Any]
    let stored = try store.scores(model: try store.models(run: 1)[0].id).first { $0.dataset == "jnli" }
    #expect(jnli?["exact_match,none"] as? Double == stored?.main)
    #expect((document?["n-shot"] as? [String: Any])?["jnli"] as? Int == 4)
    let sampleLines = try String(contentsOfFile: samples[0], encoding: .utf8).split(separator: "\n")
    #expect(sampleLines.count == 7)
    let sample = try JSONSerialization.jsonObject(with: Data(sampleLines[0].utf8)) as? [String: Any]
    #expect(sample?["doc_id"] as? Int == 0)
    #expect((sample?["filtered_resps"] as? [String])?.count == 1)
    #expect(sample?["exact_match"] != nil)
}

@Test func statusShowsDoneAndRemaining() throws {
    let dir = try TempDir(); defer { dir.cleanup() }
    let (store, checkpoints) = try filledStore(dir, crashAfterBatches: 6)
    try writeFakeCheckpoint(dir.file("ckpts/checkpoint-400"))
    let onDisk = try CheckpointIndex(path: dir.file("ckpts")).checkpoints
    let status = try RunStatus(store: store, run: try store.run(named: nil), checkpoints: onDisk)
    #expect(status.raw.map(\.complete) == [true, false, false])
    #expect(status.raw.map(\.stored) == [12, 3, 0])
    #expect(status.notRegistered.map(\.step) == [400])
    let text = status.render()
    #expect(text.contains("4: 1 complete, 1 partial, 2 not started; 15 of 48 predictions stored"))
    #expect(text.contains("not in the store yet: checkpoint-400"))
    _ = checkpoints
}
