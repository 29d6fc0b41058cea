import ArgumentParser
import Foundation
import JSON
import Llama
import Tokenizers

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Greedy generation from token ids; prints the generated ids as a JSON array.",
        discussion: """
        Stops at max-new-tokens or at an EOS id of config.json (the EOS token is included, as transformers does). \
        With --batch B the prompt is decoded B times as one batch and a JSON array of B arrays is printed. \
        --timing prints prefill and decode tokens/s and peak memory as one JSON object on stderr.
        """)

    @Option(help: "Checkpoint folder (config.json + model.safetensors or a sharded index).")
    var model: String
    @Option(help: "Comma-separated prompt token ids, e.g. 1,2,3.")
    var ids: String?
    @Option(help: "A text prompt, encoded with the checkpoint's tokenizer.json; the generated text is printed.")
    var prompt: String?
    @Option(help: "With --prompt: a tokenizer.json or folder (default: the --model folder).")
    var tokenizer: String?
    @Flag(help: "With --prompt: do not add the post-processor's special tokens (BOS) to the prompt.")
    var noSpecialTokens = false
    @Option(help: "Maximum number of tokens to generate.")
    var maxNewTokens: Int = 32
    @Option(help: "Decode this many copies of the prompt as one batch (for throughput measurements).")
    var batch: Int = 1
    @Flag(help: "Do not stop at EOS ids (fixed-length runs for benchmarks).")
    var ignoreEos = false
    @Flag(help: "Print timing (prefill and decode tokens/s, peak RSS) as JSON to stderr.")
    var timing = false

    func run() async throws {
        guard maxNewTokens >= 0 else { throw ValidationError("--max-new-tokens must be >= 0") }
        guard batch >= 1, batch <= 4096 else { throw ValidationError("--batch must be in 1...4096") }
        guard (ids == nil) != (prompt == nil) else { throw ValidationError("give exactly one of --ids or --prompt") }
        let textTokenizer = try prompt.map { _ in try Tokenizer.load(path: tokenizer ?? model) }
        let prompt: [Int]
        if let text = self.prompt, let textTokenizer {
            prompt = try textTokenizer.encode(text, addSpecialTokens: !noSpecialTokens)
        } else {
            prompt = try parseTokenIds(ids ?? "")
        }
        let loadStart = ContinuousClock.now
        let llama = try LlamaModel(directory: model)
        let loadSeconds = Self.seconds(ContinuousClock.now - loadStart)
        let eos = ignoreEos ? Set<Int>() : Set(llama.config.eosTokenIds)
        var stats = GenerationStats()
        let requests = [GreedyRequest](repeating: GreedyRequest(prompt: prompt, maxNewTokens: maxNewTokens), count: batch)
        let out = try llama.generateGreedy(requests, prefix: nil, eosTokenIds: eos, stats: &stats,
                                           shouldStop: { _, _ in false })
        let render = { (ids: [Int]) in "[" + ids.map(String.init).joined(separator: ",") + "]" }
        if let textTokenizer {
            // Ids that name no token (padding rows of the embedding) are dropped, as transformers' decode does.
            for generated in out {
                print(try textTokenizer.decode(generated.filter { textTokenizer.token(for: $0) != nil }, skipSpecialTokens: true))
            }
        } else {
            print(batch == 1 ? render(out[0]) : "[" + out.map(render).joined(separator: ",") + "]")
        }
        if timing {
            let report: JSONValue = [
                "batch": .integer(batch), "prompt_tokens": .integer(prompt.count), "load_seconds": .number(loadSeconds),
                "prefill_tokens": .integer(stats.prefillTokens), "prefill_seconds": .number(stats.prefillSeconds),
                "prefill_tokens_per_second": .number(Double(stats.prefillTokens) / max(stats.prefillSeconds, 1e-9)),
                "decode_tokens": .integer(stats.decodeTokens), "decode_steps": .integer(stats.decodeSteps),
                "decode_seconds": .number(stats.decodeSeconds),
                "decode_tokens_per_second": .number(Double(stats.decodeTokens) / max(stats.decodeSeconds, 1e-9)),
                "peak_rss_bytes": .integer(peakResidentBytes()), "parameters": .integer(llama.parameterCount),
            ]
            FileHandle.standardError.write(Data((JSONWriter.string(report, sortKeys: true) + "\n").utf8))
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
