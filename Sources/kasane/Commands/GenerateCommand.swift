import ArgumentParser
import Evaluation

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract:
        "Greedy generation (up to max-new-tokens or an EOS of config.json, EOS included); prints the ids or the text.")

    @OptionGroup var checkpoint: CheckpointOptions
    @Option(help: "The prompt, as comma-separated token ids.") var ids: TokenIds?
    @Option(help: "The prompt, as text (encoded with the tokenizer); the text is printed.") var prompt: String?
    @Option(help: "With --prompt: a tokenizer.json or folder (default: the --model folder).") var tokenizer: String?
    @Flag(help: "With --prompt: do not add BOS (the post-processor's special tokens).") var noSpecialTokens = false
    @Option(help: "Maximum number of tokens to generate.") var maxNewTokens: Int = 32
    @Option(help: "Decode B copies of the prompt as one batch; prints B arrays.") var batch: Int = 1
    @Flag(help: "Do not stop at EOS ids.") var ignoreEos = false
    @Flag(help: "Print timing (prefill and decode tokens/s, peak RSS) as JSON to stderr.") var timing = false
    @Option(help: "Run the generation N times in this process; --timing reports the fastest prefill and decode.")
    var runs: Int = 1

    func validate() throws {
        guard (ids == nil) != (prompt == nil) else { throw ValidationError("give exactly one of --ids or --prompt") }
    }

    func run() async throws {
        let input: GreedyProbe.Prompt = prompt.map { .text($0, tokenizer: tokenizer, addSpecialTokens: !noSpecialTokens) }
            ?? .ids(ids?.values ?? [])
        let result = try GreedyProbe(model: checkpoint.model, prompt: input, maxNewTokens: maxNewTokens, batch: batch,
                                     ignoreEOS: ignoreEos, runs: runs).run()
        result.output.forEach { print($0) }
        if timing { Console.error(result.timing) }
    }
}
