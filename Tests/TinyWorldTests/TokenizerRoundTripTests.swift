import Foundation
import Testing
import Tokenizers
@testable import TinyWorld

/// The built tokenizer read back through Kasane's own `Tokenizer`, and compared with Hugging Face tokenizers.
@Suite struct TokenizerRoundTripTests {
    static let fixtures = TestSupport.repoRoot + "/Tests/TinyWorldTests/Fixtures"

    static let loaded: Tokenizer = {
        let dir = TestSupport.temporaryDirectory("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: dir) }   // the tokenizer is read whole by load
        do {
            try TokenizerFiles.write(TokenizerBuilderTests.model, to: dir)
            return try Tokenizer.load(path: dir)
        } catch { fatalError("built tokenizer does not load: \(error)") }
    }()

    @Test func decodeEncodeIsIdentityOnCorpusAndEvalsets() throws {
        let tok = Self.loaded
        #expect(tok.vocabSize == TokenizerBuilder.defaultVocabSize && tok.bosTokenId == 1 && tok.eosTokenId == 2)
        var texts = stride(from: 0, to: TestSupport.standard.corpus.count, by: 7).map { TestSupport.standard.corpus[$0] }
        for set in TestSupport.standard.evalsets {
            for item in set.train + set.dev + set.test { texts += [item.input, item.output] }
            texts.append(PromptFormat.prompt(instruction: set.instruction, shots: Array(set.train.prefix(4)),
                                             input: set.dev[0].input))
        }
        texts += ["  two  spaces", "\nleading newline", "絵文字😀と未知の字", "tab\tand\r\nCRLF", ""]
        for text in texts {
            let ids = try tok.encode(text, addSpecialTokens: true)
            if !text.isEmpty { #expect(ids.first == 1, "BOS first") }
            #expect(try tok.decode(ids, skipSpecialTokens: true) == text, "round trip: \(text.prefix(40))")
        }
        // Unknown characters fall back to bytes, never to <unk>.
        let ids = try tok.encode("😀", addSpecialTokens: false)
        let f0 = try #require(tok.id(for: "<0xF0>"))
        #expect(!ids.contains(0) && ids.contains(f0))
    }

    /// `tools/tinyworld_tokenizer_fixture.py` encoded texts with Hugging Face tokenizers using the tokenizer.json
    /// that `kasane world` writes for the default seed; our builder must write the same file and Kasane must
    /// produce the same ids as the reference library.
    @Test func matchesHuggingFaceOnTheCommittedTokenizer() throws {
        let committed = try String(contentsOfFile: Self.fixtures + "/tokenizer.json", encoding: .utf8)
        #expect(TokenizerFiles.tokenizerJSON(TokenizerBuilderTests.model) == committed,
                "the builder no longer reproduces Fixtures/tokenizer.json: rerun tools/tinyworld_tokenizer_fixture.py")
        let tok = try Tokenizer.load(path: Self.fixtures + "/tokenizer.json")
        let lines = try String(contentsOfFile: Self.fixtures + "/hf_encodings.jsonl", encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count >= 20)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let text = try #require(object["text"] as? String)
            let expected = try #require(object["ids"] as? [Int])
            #expect(try tok.encode(text, addSpecialTokens: true) == expected, "HF ids differ for \(text.prefix(40))")
        }
    }
}
