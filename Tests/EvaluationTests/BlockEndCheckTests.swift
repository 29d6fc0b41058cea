import Foundation
import Testing
import Tokenizers
@testable import Evaluation

/// `BlockEndCheck` decides from the newest token alone whether the whole text must be decoded again. With real
/// tokenizers (byte-fallback SentencePiece of LLM-jp v3, spm BPE, byte-level BPE), generations mixing newlines,
/// multi-byte characters, byte-fallback pieces, partial UTF-8 and special tokens must stop at exactly the step where
/// decoding the whole generation first shows "\n\n" (and the check runs only until a generation stops).
@Suite struct BlockEndCheckTests {
    /// A tokenizer-only `TextGenerator` decoding as `LlamaGenerator` does.
    final class TokenizerGenerator: TextGenerator {
        let tokenizer: Tokenizer
        init(_ tokenizer: Tokenizer) { self.tokenizer = tokenizer }
        func encode(_ text: String, addBOS: Bool) throws -> [Int] { try tokenizer.encode(text, addSpecialTokens: addBOS) }
        func decode(_ ids: [Int]) throws -> String {
            try tokenizer.decode(ids.filter { $0 >= 0 && $0 < tokenizer.vocabSize }, skipSpecialTokens: true)
        }
        func makePrefix(tokens: [Int]) throws -> [Int] { tokens }
        func generate(prompts: [[Int]], maxNewTokens: Int, prefix: [Int]?,
                      shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] { prompts.map { _ in [] } }
    }

    static let texts = ["答え：はい\n\n次", "東京都\n大阪\n\n", "😀🎌 絵文字\n\n", "a\nb\n\nc", "\n\n", " \n \n", "x\r\n\r\n",
                        "日本語の文章です。\n", "ｶﾀｶﾅ\u{3000}全角\n\n", "𠮷野家\n𩸽\n\n", "é\u{301}\n\n", "<0x0A>\n"]

    @Test(arguments: ["llm-jp-v3", "spm-bpe", "bytelevel-bpe"])
    func stopsAtTheSameStepAsFullDecoding(tokenizer name: String) throws {
        guard let shared = TestPaths.shared else { Issue.record("shared/ not found"); return }
        let tokenizer = try Tokenizer.load(path: shared + "/reference/tokenizers/\(name)/tokenizer.json")
        let generator = TokenizerGenerator(tokenizer)
        let check = BlockEndCheck(generator: generator)
        // Pool of ids: pieces of texts with newlines and multi-byte characters, every byte-fallback piece that
        // exists, special tokens and ids spread over the vocabulary.
        var pool = Set<Int>()
        for t in Self.texts { pool.formUnion(try tokenizer.encode(t, addSpecialTokens: false)) }
        for b in 0..<256 { if let id = tokenizer.id(for: String(format: "<0x%02X>", b)) { pool.insert(id) } }
        for id in stride(from: 0, to: tokenizer.vocabSize, by: max(1, tokenizer.vocabSize / 500)) { pool.insert(id) }
        let ids = pool.sorted()
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(n))
        }
        var stoppedEarly = 0
        for _ in 0..<3000 {
            var tokens: [Int] = []
            for step in 1...24 {
                // Newline-ish and byte pieces more often than chance, so that "\n\n" forms in many ways.
                let text = Self.texts[next(Self.texts.count)]
                let fromText = try tokenizer.encode(text, addSpecialTokens: false)
                tokens.append(next(3) == 0 && !fromText.isEmpty ? fromText[next(fromText.count)] : ids[next(ids.count)])
                let full = PostProcessing.containsBlockEnd(try generator.decode(tokens))
                let incremental = check.shouldStop(0, tokens)
                #expect(incremental == full, "\(name): \(tokens) at step \(step)")
                if full { stoppedEarly += 1; break }
            }
        }
        #expect(stoppedEarly > 300, "\(name): too few generations reached a block end (\(stoppedEarly)) to test much")
    }
}
