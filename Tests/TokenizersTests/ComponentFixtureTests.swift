import Foundation
import JSON
import Testing
@testable import Tokenizers

/// Regex, normalizer and pre-tokenizer results against goldens from the tokenizers library
/// (tools/gen_tokenizer_fixtures.py writes Fixtures/components.json).
@Suite("Components against tokenizers-library goldens")
struct ComponentFixtureTests {
    static func fixture() throws -> JSONValue {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/components.json").path
        return try JSONParser.parse(file: path)
    }

    static func pairs(_ entry: JSONValue) -> [(String, JSONValue)] {
        (entry["cases"]?.arrayValue ?? []).compactMap { c in
            guard let a = c.arrayValue, a.count == 2, let text = a[0].stringValue else { return nil }
            return (text, a[1])
        }
    }

    @Test func regexReplaceMatchesOniguruma() throws {
        let fx = try Self.fixture()
        var checked = 0, failures = 0
        for entry in fx["replace"]?.arrayValue ?? [] {
            let pattern = try #require(entry["pattern"]?.stringValue)
            let n = Normalizer.replace(try OnigRegex(pattern: pattern), content: Array("<>".utf8))
            for (text, expected) in Self.pairs(entry) {
                var bytes = Array(text.utf8)
                try n.apply(&bytes)
                let got = String(decoding: bytes, as: UTF8.self)
                checked += 1
                if got != expected.stringValue {
                    failures += 1
                    Issue.record("pattern \(pattern) on \(String(reflecting: text)): \(String(reflecting: got)) vs \(String(reflecting: expected.stringValue ?? ""))")
                }
            }
        }
        #expect(checked > 400)
        #expect(failures == 0)
    }

    @Test func normalizersMatch() throws {
        let fx = try Self.fixture()
        var checked = 0
        for entry in fx["normalizers"]?.arrayValue ?? [] {
            let n = try Normalizer.parse(try #require(entry["json"]), file: "fixture")
            for (text, expected) in Self.pairs(entry) {
                var bytes = Array(text.utf8)
                try n.apply(&bytes)
                checked += 1
                #expect(String(decoding: bytes, as: UTF8.self) == expected.stringValue, "\(entry["json"]!["type"]!.stringValue!) on \(String(reflecting: text))")
            }
        }
        #expect(checked > 100)
    }

    @Test func preTokenizersMatch() throws {
        let fx = try Self.fixture()
        var checked = 0
        for entry in fx["pre_tokenizers"]?.arrayValue ?? [] {
            let p = try PreTokenizer.parse(try #require(entry["json"]), file: "fixture")
            for (text, expected) in Self.pairs(entry) {
                var pieces = [Piece(bytes: Array(text.utf8), atStart: true)]
                if text.isEmpty { pieces = [] }
                try p.apply(&pieces)
                let got = pieces.map { String(decoding: $0.bytes, as: UTF8.self) }
                let want = expected.arrayValue?.compactMap(\.stringValue) ?? []
                checked += 1
                #expect(got == want, "\(entry["json"]!["type"]!.stringValue!) on \(String(reflecting: text))")
            }
        }
        #expect(checked > 200)
    }
}
