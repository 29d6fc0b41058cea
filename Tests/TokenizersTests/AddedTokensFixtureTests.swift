import Foundation
import JSON
import Testing
@testable import Tokenizers

/// Added tokens (special and not; lstrip, rstrip, single_word, normalized) and checkpoint-folder loading,
/// against goldens from tokenizers / transformers (tools/gen_added_tokens_fixture.py).
@Suite("Added tokens and checkpoint folders")
struct AddedTokensFixtureTests {
    static func fixture() throws -> JSONValue {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/added_tokens.json").path
        return try JSONParser.parse(file: path)
    }

    static func ints(_ v: JSONValue?) -> [Int] { v?.arrayValue?.compactMap(\.intValue) ?? [] }

    @Test(arguments: [("tokenizer", "cases"), ("metaspace_tokenizer", "metaspace_cases")])
    func casesMatch(keys: (String, String)) throws {
        let fx = try Self.fixture()
        let tok = try Tokenizer(json: try #require(fx[keys.0]), file: "added_tokens.json")
        let cases = fx[keys.1]?.arrayValue ?? []
        #expect(cases.count > 5)
        for c in cases {
            let text = try #require(c["text"]?.stringValue)
            let (ids, tokens) = try tok.encodeWithTokens(text, addSpecialTokens: false)
            #expect(ids == Self.ints(c["ids"]), "ids for \(String(reflecting: text))")
            #expect(tokens == (c["tokens"]?.arrayValue?.compactMap(\.stringValue) ?? []), "tokens for \(String(reflecting: text))")
            #expect(try tok.encode(text, addSpecialTokens: true) == Self.ints(c["ids_with_special"]), "special for \(String(reflecting: text))")
            #expect(try tok.decode(ids, skipSpecialTokens: true) == c["decoded"]?.stringValue, "decode for \(String(reflecting: text))")
            #expect(try tok.decode(ids, skipSpecialTokens: false) == c["decoded_keep"]?.stringValue, "decode keep for \(String(reflecting: text))")
        }
    }

    @Test func checkpointFolderConfigsMatchTransformers() throws {
        let fx = try Self.fixture()
        let tokenizerJSON = try #require(fx["tokenizer"])
        // Re-serialize the fixture's tokenizer into a temporary checkpoint folder.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/added_tokens.json")
        let raw = try JSONSerialization.jsonObject(with: try Data(contentsOf: source)) as? [String: Any]
        let tokenizerObject = try #require(raw?["tokenizer"])
        _ = tokenizerJSON
        for folder in fx["folders"]?.arrayValue ?? [] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kasane-tok-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try JSONSerialization.data(withJSONObject: tokenizerObject).write(to: dir.appendingPathComponent("tokenizer.json"))
            let rawFolders = raw?["folders"] as? [[String: Any]] ?? []
            let cfg = rawFolders.first { ($0["tokenizer_config"] as? [String: Any])?["tokenizer_class"] as? String
                == folder["tokenizer_config"]?["tokenizer_class"]?.stringValue }?["tokenizer_config"] ?? [:]
            try JSONSerialization.data(withJSONObject: cfg).write(to: dir.appendingPathComponent("tokenizer_config.json"))
            let tok = try Tokenizer.load(path: dir.path)
            #expect(tok.bosTokenId == folder["bos_token_id"]?.intValue)
            #expect(tok.eosTokenId == folder["eos_token_id"]?.intValue)
            #expect(tok.addBosToken == folder["tokenizer_config"]?["add_bos_token"]?.boolValue)
            for c in folder["cases"]?.arrayValue ?? [] {
                let text = try #require(c["text"]?.stringValue)
                #expect(try tok.encode(text, addSpecialTokens: true) == Self.ints(c["ids"]), "\(String(reflecting: text))")
            }
        }
    }
}
