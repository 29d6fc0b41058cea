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
            """)

    @Option(help: "A tokenizer.json, or a checkpoint folder holding one (plus tokenizer_config.json).")
    var tokenizer: String
    @Flag(help: "Add the post-processor's special tokens (e.g. BOS) when encoding.") var addSpecialTokens = false
    @Option(help: "One text to encode (or, with --decode, a JSON array of ids).") var text: String?
    @Option(help: "A JSON Lines file: {\"text\": ...} per line (or {\"ids\": [...]} with --decode).") var jsonl: String?
    @Flag(help: "Decode ids to text instead of encoding (special tokens are skipped unless --keep-special).")
    var decode = false
    @Flag(help: "With --decode, keep special tokens in the text.") var keepSpecial = false
    @Flag(help: "Time loading and encoding of the --jsonl texts; prints one JSON line of measurements.")
    var benchmark = false
    @Option(help: "With --benchmark, how many passes over the texts.") var repeats = 3

    func validate() throws {
        if (text == nil) == (jsonl == nil) { throw ValidationError("give exactly one of --text or --jsonl") }
        if benchmark && jsonl == nil { throw ValidationError("--benchmark needs --jsonl") }
    }

    func run() async throws {
        if benchmark, let jsonl {
            let texts = try JSONLines.read(path: jsonl).compactMap { $0["text"]?.stringValue }
            print(JSONWriter.string(try TokenizerBenchmark.run(path: tokenizer, texts: texts, repeats: repeats,
                                                               addSpecialTokens: addSpecialTokens)))
            return
        }
        let lines = TokenizeLines(tokenizer: try Tokenizer.load(path: tokenizer), addSpecialTokens: addSpecialTokens,
                                  keepSpecial: keepSpecial)
        if let text { print(try lines.convert(text: text, decode: decode)) }
        if let jsonl { try lines.convert(jsonl: jsonl, decode: decode) { FileHandle.standardOutput.write(Data($0.utf8)) } }
    }
}
