import Foundation
import JSON
import Linalg
import Llama
import Tokenizers

/// `kasane generate`: greedy decoding of one prompt (token ids, or a text encoded with the checkpoint's tokenizer),
/// optionally as a batch of identical copies for throughput measurements.
public struct GreedyProbe {
    public enum Prompt {
        case ids([Int])
        /// A text, encoded with `tokenizer` (default: the model folder's tokenizer.json); the output is decoded.
        case text(String, tokenizer: String?, addSpecialTokens: Bool)
    }

    public var model: String
    public var prompt: Prompt
    public var maxNewTokens: Int
    public var batch: Int
    /// Fixed-length runs: EOS ids do not stop a sequence.
    public var ignoreEOS: Bool
    /// Runs of the whole generation in this process; the timing reports the fastest prefill and the fastest decode,
    /// so that later runs find their buffers already faulted in, as the anchors' timed runs after a warm-up do.
    public var runs: Int

    /// A negative token budget, a batch outside 1...4096 or runs outside 1...100 are refused here, before the model
    /// or tokenizer is loaded.
    public init(model: String, prompt: Prompt, maxNewTokens: Int, batch: Int, ignoreEOS: Bool, runs: Int = 1) throws {
        guard maxNewTokens >= 0 else {
            throw EvaluationError.invalidValue(path: "--max-new-tokens", field: "max_new_tokens",
                                               detail: "must be >= 0 (found \(maxNewTokens))")
        }
        guard (1...4096).contains(batch) else {
            throw EvaluationError.invalidValue(path: "--batch", field: "batch", detail: "must be in 1...4096 (found \(batch))")
        }
        guard (1...100).contains(runs) else {
            throw EvaluationError.invalidValue(path: "--runs", field: "runs", detail: "must be in 1...100 (found \(runs))")
        }
        self.model = model; self.prompt = prompt; self.maxNewTokens = maxNewTokens; self.batch = batch
        self.ignoreEOS = ignoreEOS; self.runs = runs
    }

    /// What `run` printed and measured.
    public struct Result {
        /// Decoded texts, one per batch element; or the generated ids as one JSON array (of B arrays with a batch).
        public var output: [String]
        /// Prefill and decode tokens/s, load time and peak memory, as one JSON object.
        public var timing: String
    }

    public func run() throws -> Result {
        var tokenizer: Tokenizer? = nil
        let ids: [Int]
        switch prompt {
        case let .ids(given): ids = given
        case let .text(text, path, addSpecialTokens):
            let loaded = try Tokenizer.load(path: path ?? model)
            ids = try loaded.encode(text, addSpecialTokens: addSpecialTokens)
            tokenizer = loaded
        }
        let loadStart = ContinuousClock.now
        let llama = try LlamaModel(directory: model)
        let loadSeconds = (ContinuousClock.now - loadStart).seconds
        let requests = [GreedyRequest](repeating: GreedyRequest(prompt: ids, maxNewTokens: maxNewTokens), count: batch)
        let eos = ignoreEOS ? Set<Int>() : Set(llama.config.eosTokenIds)
        var out: [[Int]] = []
        var stats = GenerationStats()  // the fastest prefill and decode of the runs
        for run in 0..<runs {
            var this = GenerationStats()
            out = try llama.generateGreedy(requests, prefix: nil, eosTokenIds: eos, stats: &this,
                                           shouldStop: { _, _ in false })
            if run == 0 || this.prefillSeconds < stats.prefillSeconds {
                (stats.prefillTokens, stats.prefillSeconds) = (this.prefillTokens, this.prefillSeconds)
            }
            if run == 0 || this.decodeSeconds < stats.decodeSeconds {
                (stats.decodeTokens, stats.decodeSteps) = (this.decodeTokens, this.decodeSteps)
                stats.decodeSeconds = this.decodeSeconds
            }
        }
        let output: [String]
        if let tokenizer {
            // Ids that name no token (padding rows of the embedding) are dropped, as transformers' decode does.
            output = try out.map { generated in
                try tokenizer.decode(generated.filter { tokenizer.token(for: $0) != nil }, skipSpecialTokens: true)
            }
        } else {
            output = [batch == 1 ? JSONWriter.intArray(out[0]) : "[" + out.map(JSONWriter.intArray).joined(separator: ",") + "]"]
        }
        let timing: JSONValue = [
            "batch": .integer(batch), "runs": .integer(runs), "prompt_tokens": .integer(ids.count),
            "load_seconds": .number(loadSeconds),
            "prefill_tokens": .integer(stats.prefillTokens), "prefill_seconds": .number(stats.prefillSeconds),
            "prefill_tokens_per_second": .number(Double(stats.prefillTokens) / max(stats.prefillSeconds, 1e-9)),
            "decode_tokens": .integer(stats.decodeTokens), "decode_steps": .integer(stats.decodeSteps),
            "decode_seconds": .number(stats.decodeSeconds),
            "decode_tokens_per_second": .number(Double(stats.decodeTokens) / max(stats.decodeSeconds, 1e-9)),
            "peak_rss_bytes": .integer(Self.peakResidentBytes()), "parameters": .integer(llama.parameterCount),
        ]
        return Result(output: output, timing: JSONWriter.string(timing, sortKeys: true))
    }

    /// Peak resident memory of this process in bytes (Linux `ru_maxrss` is in KiB).
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}
