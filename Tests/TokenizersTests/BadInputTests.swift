import Foundation
import JSON
import Testing
@testable import Tokenizers

/// A minimal tokenizer.json text with the given component JSON spliced in.
private func tinyTokenizer(normalizer: String = "null", preTokenizer: String = "null",
                           decoder: String = "null", model: String? = nil) -> String {
    let m = model ?? #"{"type":"Unigram","unk_id":0,"byte_fallback":false,"vocab":[["<unk>",0.0],["a",-1.0],["b",-2.0],["ab",-1.5]]}"#
    return """
        {"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
         "normalizer":\(normalizer),"pre_tokenizer":\(preTokenizer),"post_processor":null,"decoder":\(decoder),"model":\(m)}
        """
}

private func load(_ text: String) throws -> Tokenizer {
    try Tokenizer(json: try JSONParser.parse(Array(text.utf8), file: "t.json"), file: "t.json")
}

@Suite("Bad input gives clear errors")
struct BadInputTests {
    @Test func unknownComponentTypesAreNamed() throws {
        let cases: [(String, String)] = [
            (tinyTokenizer(normalizer: #"{"type":"BertNormalizer"}"#), "normalizer type 'BertNormalizer'"),
            (tinyTokenizer(normalizer: #"{"type":"Precompiled","precompiled_charsmap":""}"#), "'normalizer.Precompiled.precompiled_charsmap': shorter"),
            (tinyTokenizer(normalizer: #"{"type":"Precompiled","precompiled_charsmap":"/////w=="}"#), "does not fit the blob"),
            (tinyTokenizer(preTokenizer: #"{"type":"UnicodeScripts"}"#), "pre_tokenizer type 'UnicodeScripts'"),
            (tinyTokenizer(decoder: ###"{"type":"WordPiece","prefix":"##"}"###), "decoder type 'WordPiece'"),
            (tinyTokenizer(model: #"{"type":"WordLevel","vocab":{}}"#), "model type 'WordLevel'"),
        ]
        for (json, message) in cases {
            do {
                _ = try load(json)
                Issue.record("expected an error mentioning \(message)")
            } catch {
                #expect(String(describing: error).contains(message), "\(error)")
            }
        }
    }

    @Test func unsupportedRegexConstructIsAnError() {
        let json = tinyTokenizer(preTokenizer: #"{"type":"Split","pattern":{"Regex":"(a)\\1"},"behavior":"Isolated","invert":false}"#)
        #expect(throws: TokenizerError.self) { try load(json) }
    }

    @Test func idsOutOfRangeWhenDecoding() throws {
        let tok = try load(tinyTokenizer())
        #expect(try tok.decode([1, 2], skipSpecialTokens: true) == "a b")
        #expect(throws: TokenizerError.self) { try tok.decode([1, 4], skipSpecialTokens: true) }
        #expect(throws: TokenizerError.self) { try tok.decode([-1], skipSpecialTokens: true) }
    }

    @Test func invalidJSONFileIsATokenizerError() throws {
        let path = NSTemporaryDirectory() + "kasane-bad-\(getpid()).json"
        try #"{"a": tru}"#.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TokenizerError.self) { try Tokenizer(file: path) }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: TokenizerError.self) { try Tokenizer.load(path: "/nonexistent/tokenizer.json") }
    }

    @Test func unknownCharacterWithoutUnkIdIsAnError() throws {
        let model = #"{"type":"Unigram","unk_id":null,"vocab":[["a",-1.0]]}"#
        let tok = try load(tinyTokenizer(model: model))
        #expect(try tok.encode("aa", addSpecialTokens: false) == [0, 0])
        #expect(throws: TokenizerError.self) { try tok.encode("ax", addSpecialTokens: false) }
    }
}
