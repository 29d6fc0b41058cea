import Foundation

/// `kasane world`: the evalsets, then (unless `evalsetsOnly`) the corpus and a tokenizer learned from it, written
/// under one folder. Returns one line per thing written.
public enum WorldFiles {
    public static func write(to output: String, seed: UInt64 = WorldGenerator.defaultSeed,
                             vocabSize: Int = TokenizerBuilder.defaultVocabSize, evalsetsOnly: Bool = false) throws -> [String] {
        let clock = ContinuousClock()
        let start = clock.now
        let build = try WorldGenerator.build(seed: seed)
        try WorldGenerator.writeEvalsets(build.evalsets, to: output)
        var lines = ["evalsets: \(build.evalsets.count) datasets in \(output)/evaluation/{train,dev,test}"]
        if evalsetsOnly { return lines }
        try WorldGenerator.writeCorpus(build.corpus, to: output + "/corpus.jsonl")
        let chars = build.corpus.reduce(0) { $0 + $1.unicodeScalars.count }
        lines.append("corpus: \(build.corpus.count) documents, \(chars) characters -> \(output)/corpus.jsonl")
        let model = try TokenizerBuilder(vocabSize: vocabSize).train(documents: build.corpus)
        try TokenizerFiles.write(model, to: output + "/tokenizer")
        lines.append("tokenizer: \(model.pieces.count) pieces -> \(output)/tokenizer/tokenizer.json")
        lines.append("done in \(clock.now - start)")
        return lines
    }
}
