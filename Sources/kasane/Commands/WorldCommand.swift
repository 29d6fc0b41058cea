import ArgumentParser
import TinyWorld

struct WorldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "world", abstract:
        "Write the tiny world for a seed: corpus.jsonl, tokenizer/ learned from it, evaluation/ (nine llm-jp-eval sets).")

    @Option(help: "Output folder.") var output: String
    @Option(help: "World seed (the same seed gives the same files).") var seed: UInt64 = WorldGenerator.defaultSeed
    @Option(help: "Tokenizer vocabulary size.") var vocabSize: Int = TokenizerBuilder.defaultVocabSize
    @Flag(help: "Write only the evalsets.") var evalsetsOnly = false

    func run() async throws {
        try WorldFiles.write(to: output, seed: seed, vocabSize: vocabSize, evalsetsOnly: evalsetsOnly).forEach { print($0) }
    }
}
