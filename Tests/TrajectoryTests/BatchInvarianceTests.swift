import Foundation
import Testing

/// Issue #11: continuous batching must not change what is stored. Two tiny-world checkpoints (the pin's recipe) are
/// evaluated at batch 1, 8 and 32, with 1 and 2 threads (Kasane's pool and OpenBLAS alike); the exported predictions,
/// gold and prediction log-probs included, must be byte-identical across all of them.
@Test(.timeLimit(.minutes(10)))
func predictionsAndLogprobsAreIdenticalAtEveryBatchSizeAndThreadCount() throws {
    let fixture = (Repo.root as NSString).appendingPathComponent("Tests/TrajectoryTests/Fixtures/tiny-world-pin")
    let dir = try TempDir("kasane-batch-invariance"); defer { dir.cleanup() }
    let models = dir.file("models")
    try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixture + "/recipe.json", toPath: models + "/recipe.json")
    try #require(try KasaneBinary.run(["world", "--output", models + "/tiny-world/world"]) == 0)
    try #require(try KasaneBinary.run(["pretrain", "--config", models + "/recipe.json", "--output", models + "/run",
                                       "--log-every", "80"]) == 0)
    var exports: [String: String] = [:]
    for batch in [1, 8, 32] {
        for threads in [1, 2] {
            let name = "b\(batch)-t\(threads)"
            let db = dir.file(name + ".sqlite")
            let environment = ["KASANE_THREADS": "\(threads)", "OPENBLAS_NUM_THREADS": "\(threads)"]
            try #require(try KasaneBinary.run(
                ["eval", "--checkpoints", models + "/run", "--evalsets", Repo.root + "/evalsets/tiny-world", "--db", db,
                 "--run", "invariance", "--max-samples", "40", "--batch-size", "\(batch)", "--quiet"],
                environment: environment) == 0)
            try #require(try KasaneBinary.run(["export", "--db", db, "--format", "jsonl", "--output", dir.file(name)]) == 0)
            exports[name] = try String(contentsOfFile: dir.file(name + "/predictions.jsonl"), encoding: .utf8)
        }
    }
    let reference = try #require(exports["b1-t1"])
    #expect(reference.contains("\"gold_logprob\":") && reference.contains("\"prediction_logprob\":"))
    #expect(reference.split(separator: "\n").count >= 2 * 40)
    for (name, text) in exports.sorted(by: { $0.key < $1.key }) where name != "b1-t1" {
        #expect(text == reference, "\(name): predictions or log-probs differ from batch 1 with 1 thread")
    }
}
