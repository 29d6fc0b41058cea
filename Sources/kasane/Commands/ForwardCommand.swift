import ArgumentParser
import Foundation
import Llama

struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Run the forward pass over token ids and print the logits as JSON.",
        discussion: """
        Prints {"logits": [[Float]]}: one row of vocab_size logits per input position, computed in fp32 whatever \
        the checkpoint's storage dtype.
        """)

    @Option(help: "Checkpoint folder (config.json + model.safetensors or a sharded index).")
    var model: String
    @Option(help: "Comma-separated token ids, e.g. 1,2,3.")
    var ids: String
    @Option(help: "Write the JSON to this file instead of stdout.")
    var output: String?

    func run() async throws {
        let tokens = try parseTokenIds(ids)
        let llama = try LlamaModel(directory: model)
        let rows = try llama.logits(tokens: tokens)
        var json = "{\"logits\":["
        json.reserveCapacity(rows.count * llama.config.vocabSize * 12)
        for (p, row) in rows.enumerated() {
            if p > 0 { json += "," }
            json += "["
            for (i, v) in row.enumerated() {
                guard v.isFinite else { throw CommandError.invalidResult("logit \(i) at position \(p) is not finite (\(v))") }
                if i > 0 { json += "," }
                json += v.description
            }
            json += "]"
        }
        json += "]}"
        try emit(json, to: output)
    }
}
