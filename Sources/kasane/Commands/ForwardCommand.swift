import ArgumentParser
import Evaluation
import Llama
import Trajectory

struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forward", abstract:
        "Print {\"logits\": [[Float]]}: the fp32 logits of every input position.")

    @OptionGroup var checkpoint: CheckpointOptions
    @Option(help: "Comma-separated token ids, e.g. 1,2,3.") var ids: TokenIds
    @Option(help: "Write the JSON to this file instead of stdout.") var output: String?

    func run() async throws {
        let json = try LlamaModel(directory: checkpoint.model).logitsJSON(tokens: ids.values)
        if let output { try OutputFile.write(json, to: output) } else { print(json) }
    }
}
