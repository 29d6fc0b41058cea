import ArgumentParser
import Foundation
import TinyWorld

struct WorldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "world",
        abstract: "Generate the built-in tiny world: corpus.jsonl, a tokenizer learned from it, and nine evalsets.",
        discussion: """
        Writes DIR/corpus.jsonl (one {"text": ...} per document), DIR/tokenizer/ (tokenizer.json,
        tokenizer_config.json, special_tokens_map.json: a Unigram tokenizer with byte fallback and the LLM-jp v3
        normalizer, decoder and post-processor) and DIR/evaluation/{train,dev,test}/tinyworld_*.json
        (llm-jp-eval v1.4.1 layout). The same seed always gives the same files.
        """)

    @Option(help: "Output directory.") var output: String
    @Option(help: "World seed.") var seed: UInt64 = WorldGenerator.defaultSeed
    @Option(help: "Tokenizer vocabulary size (specials, 256 byte pieces and 16 space runs included).")
    var vocabSize: Int = TokenizerBuilder.defaultVocabSize
    @Flag(help: "Write only the evalsets (no corpus, no tokenizer).") var evalsetsOnly = false

    func run() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let build = try WorldGenerator.build(seed: seed)
        try WorldGenerator.writeEvalsets(build.evalsets, to: output)
        print("evalsets: \(build.evalsets.count) datasets in \(output)/evaluation/{train,dev,test}")
        if evalsetsOnly { return }
        try WorldGenerator.writeCorpus(build.corpus, to: output + "/corpus.jsonl")
        let chars = build.corpus.reduce(0) { $0 + $1.unicodeScalars.count }
        print("corpus: \(build.corpus.count) documents, \(chars) characters -> \(output)/corpus.jsonl")
        let model = try TokenizerBuilder(vocabSize: vocabSize).train(documents: build.corpus)
        try TokenizerFiles.write(model, to: output + "/tokenizer")
        print("tokenizer: \(model.pieces.count) pieces -> \(output)/tokenizer/tokenizer.json")
        print("done in \(clock.now - start)")
    }
}
