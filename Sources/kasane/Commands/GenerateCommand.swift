import ArgumentParser
import Evaluation
import Foundation

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Greedy generation from token ids; prints the generated ids as a JSON array.",
        discussion: """
        Stops at max-new-tokens or at an EOS id of config.json (the EOS token is included, as transformers does). \
        With --batch B the prompt is decoded B times as one batch and a JSON array of B arrays is printed.
        """)

    @Option(help: "Checkpoint folder (config.json + model.safetensors or a sharded index).") var model: String
    @Option(help: "Comma-separated prompt token ids, e.g. 1,2,3.") var ids: String?
    @Option(help: "A text prompt, encoded with the checkpoint's tokenizer.json; the generated text is printed.")
    var prompt: String?
    @Option(help: "With --prompt: a tokenizer.json or folder (default: the --model folder).") var tokenizer: String?
    @Flag(help: "With --prompt: do not add the post-processor's special tokens (BOS) to the prompt.")
    var noSpecialTokens = false
    @Option(help: "Maximum number of tokens to generate.") var maxNewTokens: Int = 32
    @Option(help: "Decode this many copies of the prompt as one batch (for throughput measurements).") var batch: Int = 1
    @Flag(help: "Do not stop at EOS ids (fixed-length runs for benchmarks).") var ignoreEos = false
    @Flag(help: "Print timing (prefill and decode tokens/s, peak RSS) as JSON to stderr.") var timing = false

    func validate() throws {
        guard maxNewTokens >= 0 else { throw ValidationError("--max-new-tokens must be >= 0") }
        guard batch >= 1, batch <= 4096 else { throw ValidationError("--batch must be in 1...4096") }
        guard (ids == nil) != (prompt == nil) else { throw ValidationError("give exactly one of --ids or --prompt") }
    }

    func run() async throws {
        let input: GreedyProbe.Prompt = try prompt.map { .text($0, tokenizer: tokenizer, addSpecialTokens: !noSpecialTokens) }
            ?? .ids(try parseTokenIds(ids ?? ""))
        let result = try GreedyProbe(model: model, prompt: input, maxNewTokens: maxNewTokens, batch: batch,
                                     ignoreEOS: ignoreEos).run()
        for line in result.output { print(line) }
        if timing { FileHandle.standardError.write(Data((result.timing + "\n").utf8)) }
    }
}
