import ArgumentParser
import Foundation
import JSON
import Tokenizers

struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encode or decode with a Hugging Face tokenizer.json, exactly as the tokenizers library does.",
        discussion: """
            --text TEXT prints the ids as a JSON array (with --decode, TEXT is a JSON array of ids and the text \
            is printed). --jsonl FILE reads one {"text": ...} per line and writes one {"ids": [...]} per line \
            (with --decode: {"ids": [...]} in, {"text": ...} out); FILE may be '-' for standard input.
            --benchmark times loading and encoding the --jsonl texts instead of printing ids.
            """)

    @Option(help: "A tokenizer.json, or a checkpoint folder holding one (plus tokenizer_config.json).")
    var tokenizer: String

    @Flag(help: "Add the post-processor's special tokens (e.g. BOS) when encoding.")
    var addSpecialTokens = false

    @Option(help: "One text to encode (or, with --decode, a JSON array of ids).")
    var text: String?

    @Option(help: "A JSON Lines file: {\"text\": ...} per line (or {\"ids\": [...]} with --decode).")
    var jsonl: String?

    @Flag(help: "Decode ids to text instead of encoding (special tokens are skipped unless --keep-special).")
    var decode = false

    @Flag(help: "With --decode, keep special tokens in the text.")
    var keepSpecial = false

    @Flag(help: "Time loading and encoding of the --jsonl texts; prints one JSON line of measurements.")
    var benchmark = false

    @Option(help: "With --benchmark, how many passes over the texts.")
    var repeats = 3

    func validate() throws {
        if (text == nil) == (jsonl == nil) { throw ValidationError("give exactly one of --text or --jsonl") }
        if benchmark && jsonl == nil { throw ValidationError("--benchmark needs --jsonl") }
    }

    func run() async throws {
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let cpuStart = threadCPUSeconds()
        let tok = try Tokenizer.load(path: tokenizer)
        let loadMs = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6
        let loadCPUMs = (threadCPUSeconds() - cpuStart) * 1e3
        if let text {
            if decode {
                let json = try JSONParser.parse(Array(text.utf8), file: "--text")
                print(try tok.decode(try ids(json, file: "--text", entry: "ids"), skipSpecialTokens: !keepSpecial))
            } else {
                print(JSONWriter.intArray(try tok.encode(text, addSpecialTokens: addSpecialTokens)))
            }
            return
        }
        guard let jsonl else { return }
        let lines = try JSONLines.read(path: jsonl)
        if benchmark {
            try runBenchmark(tok, lines, loadMs: loadMs, loadCPUMs: loadCPUMs)
            return
        }
        var out = ""
        for (i, line) in lines.enumerated() {
            if decode {
                let text = try tok.decode(try ids(line["ids"], file: jsonl, entry: "line \(i + 1): ids"),
                                          skipSpecialTokens: !keepSpecial)
                out += "{\"text\":" + JSONWriter.quote(text) + "}\n"
            } else {
                guard let text = line["text"]?.stringValue else {
                    throw CommandError.input(path: jsonl, entry: "entry \(i + 1)", reason: "expected {\"text\": string}")
                }
                out += "{\"ids\":" + JSONWriter.intArray(try tok.encode(text, addSpecialTokens: addSpecialTokens)) + "}\n"
            }
            if out.utf8.count > 1 << 20 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func ids(_ json: JSONValue?, file: String, entry: String) throws -> [Int] {
        guard let array = json?.arrayValue else {
            throw CommandError.input(path: file, entry: entry, reason: "expected a JSON array of ids")
        }
        return try array.map { v in
            guard let id = v.intValue else { throw CommandError.input(path: file, entry: entry, reason: "ids must be integers") }
            return id
        }
    }

    /// CPU time of this thread: on a shared machine, wall time mostly measures the other processes.
    private func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func runBenchmark(_ tok: Tokenizer, _ lines: [JSONValue], loadMs: Double, loadCPUMs: Double) throws {
        let texts = lines.compactMap { $0["text"]?.stringValue }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        var best = Double.infinity, bestCPU = Double.infinity
        var tokens = 0
        for _ in 0..<max(1, repeats) {
            tokens = 0
            let t0 = DispatchTime.now().uptimeNanoseconds
            let c0 = threadCPUSeconds()
            for t in texts { tokens += try tok.encode(t, addSpecialTokens: addSpecialTokens).count }
            bestCPU = min(bestCPU, threadCPUSeconds() - c0)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        // The JSON parse alone, to see how the load time splits.
        let jsonFile = FileManager.default.fileExists(atPath: tokenizer + "/tokenizer.json") ? tokenizer + "/tokenizer.json" : tokenizer
        let p0 = threadCPUSeconds()
        _ = try JSONParser.parse(file: jsonFile)
        let parseCPUMs = (threadCPUSeconds() - p0) * 1e3
        func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
        print("{\"impl\":\"kasane\",\"load_ms\":\(f(loadMs, 1)),\"load_cpu_ms\":\(f(loadCPUMs, 1)),\"json_parse_cpu_ms\":\(f(parseCPUMs, 1)),"
              + "\"texts\":\(texts.count),\"bytes\":\(bytes),\"tokens\":\(tokens),\"encode_s\":\(f(best, 4)),"
              + "\"mb_per_s\":\(f(Double(bytes) / 1e6 / best)),\"mb_per_s_cpu\":\(f(Double(bytes) / 1e6 / bestCPU))}")
    }
}
