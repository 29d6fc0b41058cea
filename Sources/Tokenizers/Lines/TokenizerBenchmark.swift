import Foundation
import JSON

/// `kasane tokenize --benchmark`: loading and encoding times for bench/bench_tokenizer.sh, in thread CPU time as
/// well as wall time (on a shared machine, wall time mostly measures the other processes).
public enum TokenizerBenchmark {
    /// Loads the tokenizer at `path` and encodes the `text` of every line of `jsonl` `repeats` times; the best pass
    /// counts. Returns the measures as one JSON line.
    public static func run(path: String, jsonl: String, repeats: Int, addSpecialTokens: Bool) throws -> String {
        let texts = try JSONLines.read(path: jsonl).compactMap { $0["text"]?.stringValue }
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUSeconds()
        let tokenizer = try Tokenizer.load(path: path)
        let loadMs = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6
        let loadCPUMs = (threadCPUSeconds() - cpuStart) * 1e3
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        var best = Double.infinity, bestCPU = Double.infinity
        var tokens = 0
        for _ in 0..<max(1, repeats) {
            tokens = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            let c0 = threadCPUSeconds()
            for t in texts { tokens += try tokenizer.encode(t, addSpecialTokens: addSpecialTokens).count }
            bestCPU = min(bestCPU, threadCPUSeconds() - c0)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        // The JSON parse alone, to see how the load time splits.
        let jsonFile = FileManager.default.fileExists(atPath: path + "/tokenizer.json") ? path + "/tokenizer.json" : path
        let p0 = threadCPUSeconds()
        _ = try JSONParser.parse(file: jsonFile)
        let parseCPUMs = (threadCPUSeconds() - p0) * 1e3
        func rounded(_ x: Double, _ digits: Double) -> JSONValue { .number((x * digits).rounded() / digits) }
        return JSONWriter.string([
            "impl": "kasane", "load_ms": rounded(loadMs, 10), "load_cpu_ms": rounded(loadCPUMs, 10),
            "json_parse_cpu_ms": rounded(parseCPUMs, 10), "texts": .integer(texts.count), "bytes": .integer(bytes),
            "tokens": .integer(tokens), "encode_s": rounded(best, 1e4), "mb_per_s": rounded(Double(bytes) / 1e6 / best, 100),
            "mb_per_s_cpu": rounded(Double(bytes) / 1e6 / bestCPU, 100)])
    }

    private static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
