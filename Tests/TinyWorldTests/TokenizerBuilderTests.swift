import Foundation
import Testing
@testable import TinyWorld

@Suite struct TokenizerBuilderTests {
    static let model: UnigramModel = {
        do { return try TokenizerBuilder().train(documents: TestSupport.standard.corpus) } catch {
            fatalError("tokenizer does not train: \(error)")
        }
    }()

    @Test func layoutFollowsLlmJpV3() {
        let pieces = Self.model.pieces
        #expect(pieces.count == TokenizerBuilder.defaultVocabSize)
        #expect(pieces[0..<8].map(\.text) == ["<unk>", "<s>", "</s>", "<MASK>", "<PAD>", "<CLS>", "<SEP>", "<EOD>"])
        #expect(pieces[8].text == "<0x00>" && pieces[8 + 0x0A].text == "<0x0A>" && pieces[263].text == "<0xFF>")
        #expect(pieces[264].text == String(repeating: "▁", count: 16) && pieces[279].text == "▁")
        #expect(pieces[279].score == -15.0 && pieces[278].score == -22.5)
        let learned = pieces[280...]
        #expect(Set(pieces.map(\.text)).count == pieces.count, "duplicate pieces")
        #expect(learned.allSatisfy { $0.score.isFinite && $0.score < 0 })
        #expect(zip(learned, learned.dropFirst()).allSatisfy { $0.score >= $1.score }, "learned pieces sorted by score")
        // '▁' only at the start of a piece, never a newline inside one.
        #expect(learned.allSatisfy { !$0.text.dropFirst().contains("▁") && !$0.text.contains("\n") })
    }

    @Test func everyCorpusCharacterHasAPiece() {
        let single = Set(Self.model.pieces.map(\.text).filter { $0.unicodeScalars.count == 1 })
        var chars = Set<String>()
        for doc in TestSupport.standard.corpus { for s in doc.unicodeScalars { chars.insert(String(s)) } }
        chars.remove("\n")
        chars.remove(" ")    // becomes '▁'
        #expect(chars.subtracting(single).isEmpty, "characters without a piece: \(chars.subtracting(single).sorted())")
    }

    @Test func learnsTheFrequentWordsOfTheWorld() {
        let texts = Set(Self.model.pieces.map(\.text))
        for word in ["▁favourite", "タロウ", "首都", "entailment", "###", "▁応答"] {
            #expect(texts.contains(word), "missing piece \(word)")
        }
        // No piece crosses a script boundary, so an entity is never glued to its particle.
        #expect(!texts.contains("タロウは") && !texts.contains("は東京"))
    }

    @Test func emRaisesLikelihoodAndPrefersTheRepeatedWord() throws {
        let docs = Array(repeating: "abcab abcab xyz", count: 50) + ["ab ca"]
        let builder = TokenizerBuilder(vocabSize: UnigramModel.firstLearnedPiece + 12)
        let model = try builder.train(documents: docs)
        let learned = model.pieces[UnigramModel.firstLearnedPiece...].map(\.text)
        #expect(learned.first == "▁abcab" || learned.contains("▁abcab"))
        #expect(learned.contains("a") && learned.contains("z"))
    }

    @Test func tooSmallAVocabularyIsAnError() {
        #expect(throws: TinyWorldError.self) {
            _ = try TokenizerBuilder(vocabSize: 290).train(documents: TestSupport.standard.corpus)
        }
    }

    @Test func tokenizerJsonHasTheReferencePipeline() throws {
        let dir = TestSupport.temporaryDirectory("tokenizer")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TokenizerFiles.write(Self.model, to: dir)
        let ours = try TestSupport.json(dir + "/tokenizer.json")
        let reference = try TestSupport.json(TestSupport.sharedRoot + "/reference/tokenizers/llm-jp-v3/tokenizer.json")
        for key in ["normalizer", "decoder", "post_processor", "added_tokens"] {
            let a = try JSONSerialization.data(withJSONObject: ours[key] ?? NSNull(), options: [.sortedKeys])
            let b = try JSONSerialization.data(withJSONObject: reference[key] ?? NSNull(), options: [.sortedKeys])
            #expect(a == b, "\(key) differs from LLM-jp v3")
        }
        #expect(ours["pre_tokenizer"] is NSNull)
        let model = try #require(ours["model"] as? [String: Any])
        #expect(model["type"] as? String == "Unigram" && model["unk_id"] as? Int == 0 && model["byte_fallback"] as? Bool == true)
        let vocab = try #require(model["vocab"] as? [[Any]])
        #expect(vocab.count == Self.model.pieces.count && vocab[279].first as? String == "▁")
        let map = try TestSupport.json(dir + "/special_tokens_map.json")
        #expect(map["bos_token"] as? String == "<s>" && map["eos_token"] as? String == "</s>")
    }
}
