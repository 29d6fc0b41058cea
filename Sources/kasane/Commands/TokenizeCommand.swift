import ArgumentParser
import Foundation
import Tokenizers

struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract:
        "Encode text to ids (or decode ids to text) with a Hugging Face tokenizer.json, as the tokenizers library does.")

    @Option(help: "A tokenizer.json, or a folder holding it.") var tokenizer: String
    @Flag(help: "Add the post-processor's special tokens (e.g. BOS).") var addSpecialTokens = false
    @Option(help: "One text (with --decode: a JSON array of ids); prints a JSON array of ids (or the text).") var text: String?
    @Option(help: "JSON Lines ('-' for stdin): {\"text\"} in, {\"ids\"} out (reversed with --decode).") var jsonl: String?
    @Flag(help: "Decode ids to text.") var decode = false
    @Flag(help: "With --decode, keep special tokens.") var keepSpecial = false
    @Flag(help: "Time loading and encoding of the --jsonl texts; prints one JSON line.") var benchmark = false
    @Option(help: "With --benchmark, passes over the texts.") var repeats = 3

    func validate() throws {
        if (text == nil) == (jsonl == nil) { throw ValidationError("give exactly one of --text or --jsonl") }
        if benchmark && jsonl == nil { throw ValidationError("--benchmark needs --jsonl") }
    }

    func run() async throws {
        if benchmark, let jsonl {
            return print(try TokenizerBenchmark.run(path: tokenizer, jsonl: jsonl, repeats: repeats,
                                                    addSpecialTokens: addSpecialTokens))
        }
        let lines = TokenizeLines(tokenizer: try Tokenizer.load(path: tokenizer), addSpecialTokens: addSpecialTokens,
                                  keepSpecial: keepSpecial)
        if let text { print(try lines.convert(text: text, decode: decode)) }
        if let jsonl { try lines.convert(jsonl: jsonl, decode: decode) { FileHandle.standardOutput.write(Data($0.utf8)) } }
    }
}
