import Foundation
import Testing

/// Behaviour pin for redesigns: the `kasane` binary trains two tiny-world checkpoints (steps 40 and 80 of a short
/// recipe), evaluates them, builds the window-2 ensemble and the stability table; what it stores and reports must
/// equal Fixtures/tiny-world-pin/ byte for byte. Those files are a regression snapshot made by Kasane itself
/// (tools/make_tiny_world_pin.sh, whose steps this test repeats), not reference values.
///
/// The snapshot must not depend on the CPU the suite runs on: OpenBLAS picks other sgemm kernels on AVX-512 Intel
/// (SkylakeX) than on AVX2 or AMD (Haswell, Zen), and Kasane's own kernels have an AVX-512 variant, and each sums in
/// its own order, so trained weights and log-probs would differ in their last bits from machine to machine. The pin
/// therefore runs every step on the AVX2 kernels of both libraries and one thread (`pinnedNumerics`).
@Test(.timeLimit(.minutes(10)))
func tinyWorldPredictionsScoresAndStabilityAreUnchanged() throws {
    let fixture = (Repo.root as NSString).appendingPathComponent("Tests/TrajectoryTests/Fixtures/tiny-world-pin")
    let dir = try TempDir("kasane-pin"); defer { dir.cleanup() }
    let models = dir.file("models")
    try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: fixture + "/recipe.json", toPath: models + "/recipe.json")
    let db = dir.file("r.sqlite")
    let steps: [[String]] = [
        ["world", "--output", models + "/tiny-world/world"],
        ["pretrain", "--config", models + "/recipe.json", "--output", models + "/run", "--log-every", "80"],
        ["eval", "--checkpoints", models + "/run", "--evalsets", Repo.root + "/evalsets/tiny-world", "--db", db,
         "--run", "tiny-pin", "--max-samples", "20", "--quiet"],
        ["ensemble", "--db", db, "--window", "2"],
        ["stability", "--db", db, "--last-fraction", "all", "--windows", "1,2", "--json", dir.file("stability.json")],
        ["export", "--db", db, "--format", "jsonl", "--output", dir.file("export")],
    ]
    for arguments in steps {
        try #require(try KasaneBinary.run(arguments, environment: pinnedNumerics) == 0, "kasane \(arguments[0]) failed")
    }
    for file in ["export/predictions.jsonl", "export/scores.jsonl", "export/aggregates.jsonl", "stability.json"] {
        let produced = try String(contentsOfFile: dir.file(file), encoding: .utf8)
            .replacingOccurrences(of: dir.path, with: "$TMP")
        let name = (file as NSString).lastPathComponent
        let pinned = try String(contentsOfFile: fixture + "/" + name, encoding: .utf8)
        #expect(produced == pinned, "\(name) differs from the pin (rerun tools/make_tiny_world_pin.sh only for an intended change)")
    }
}

/// The kernel choices the pin is made with, available on every x86-64 machine with AVX2+FMA (keep in step with
/// tools/make_tiny_world_pin.sh).
let pinnedNumerics = ["OPENBLAS_CORETYPE": "Haswell", "KASANE_KERNEL": "avx2", "KASANE_THREADS": "1",
                      "OPENBLAS_NUM_THREADS": "1"]
