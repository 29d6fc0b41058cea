import Foundation
import Linalg
import Testing
@testable import Comet

private let benchModel = ProcessInfo.processInfo.environment["KASANE_COMET_BENCH_MODEL"]

/// Run by bench/bench_comet.sh only (KASANE_COMET_BENCH_MODEL set): times loading and scoring, no threshold.
@Test(.enabled(if: benchModel != nil)) func benchScoring() throws {
    let folder = URL(fileURLWithPath: benchModel!)
    let repeats = Int(ProcessInfo.processInfo.environment["KASANE_COMET_BENCH_REPEAT"] ?? "20") ?? 20
    let golden = try Golden()
    var start = Date()
    let model = try CometModel(folder: folder)
    let load = Date().timeIntervalSince(start)
    // The same distinct texts as bench/bench_comet.py: each triple with a counter suffix per repetition.
    func texts(_ list: [String]) -> [String] { (0..<repeats).flatMap { i in list.map { "\($0) \(i)" } } }
    start = Date()
    let cpuStart = processCPUSeconds()
    let scores = try model.score(sources: texts(golden.sources), translations: texts(golden.translations),
                                 references: texts(golden.references))
    let score = Date().timeIntervalSince(start)
    let cpu = processCPUSeconds() - cpuStart
    print(#"{"impl": "kasane", "segments": \#(scores.segments.count), "load_s": \#(String(format: "%.3f", load)), "score_s": \#(String(format: "%.3f", score)), "score_cpu_s": \#(String(format: "%.3f", cpu)), "system": \#(scores.system), "blas_core": "\#(BLAS.coreName)", "threads": \#(BLAS.threadCount)}"#)
}

/// User + system CPU time of the whole process (every thread): comparable on a shared, noisy machine where wall time
/// is not.
private func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}
