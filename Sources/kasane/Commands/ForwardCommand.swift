import ArgumentParser
import Llama

struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Run the forward pass over token ids and print the logits as JSON.",
        discussion: """
        Prints {"logits": [[Float]]}: one row of vocab_size logits per input position, computed in fp32 whatever \
        the checkpoint's storage dtype.
        """)

    @Option(help: "Checkpoint folder (config.json + model.safetensors or a sharded index).") var model: String
    @Option(help: "Comma-separated token ids, e.g. 1,2,3.") var ids: String
    @Option(help: "Write the JSON to this file instead of stdout.") var output: String?

    func run() async throws {
        let tokens = try parseTokenIds(ids)
        try emit(try LlamaModel(directory: model).logitsJSON(tokens: tokens), to: output)
    }
}
