import Foundation
import JSON
import Testing
@testable import Tokenizers

/// The shared reference data: three tokenizers made with the Hugging Face tokenizers library (0.23.3)
/// and ~1,600 golden encodings each (see ../shared/reference/tokenizers/README.md).
enum Reference {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `<repo root>/../shared` as CI lays it out; from a nested worktree, the nearest ancestor's `shared/`.
    static let folder: URL = {
        var dir = repoRoot
        for _ in 0..<4 {
            dir = dir.deletingLastPathComponent()
            let candidate = dir.appendingPathComponent("shared/reference/tokenizers")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/tokenizers")
    }()

    struct Case {
        var text: String; var ids: [Int]; var tokens: [String]; var idsWithSpecial: [Int]; var decoded: String
    }

    static func cases(_ name: String) throws -> [Case] {
        let path = folder.appendingPathComponent(name).appendingPathComponent("cases.jsonl").path
        let data = try #require(FileManager.default.contents(atPath: path))
        var out: [Case] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let j = try JSONParser.parse(Array(line), file: path)
            out.append(Case(text: j["text"]?.stringValue ?? "",
                            ids: j["ids"]?.arrayValue?.compactMap(\.intValue) ?? [],
                            tokens: j["tokens"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                            idsWithSpecial: j["ids_with_special"]?.arrayValue?.compactMap(\.intValue) ?? [],
                            decoded: j["decoded"]?.stringValue ?? ""))
        }
        return out
    }

    static func tokenizer(_ name: String) throws -> Tokenizer {
        try Tokenizer.load(path: folder.appendingPathComponent(name).appendingPathComponent("tokenizer.json").path)
    }
}

@Suite("Reference tokenizers: every golden case")
struct ReferenceCasesTests {
    @Test(arguments: ["llm-jp-v3", "spm-bpe", "bytelevel-bpe"])
    func allCasesMatch(name: String) throws {
        let tokenizer = try Reference.tokenizer(name)
        let cases = try Reference.cases(name)
        #expect(cases.count > 1500)
        var mismatches = 0
        for c in cases {
            let (ids, tokens) = try tokenizer.encodeWithTokens(c.text, addSpecialTokens: false)
            let withSpecial = try tokenizer.encode(c.text, addSpecialTokens: true)
            let decoded = try tokenizer.decode(c.ids, skipSpecialTokens: true)
            let ok = ids == c.ids && tokens == c.tokens && withSpecial == c.idsWithSpecial && decoded == c.decoded
            if !ok {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("""
                        \(name) mismatch for \(String(reflecting: c.text.prefix(80))):
                          ids      \(ids == c.ids ? "ok" : "\(ids.prefix(20)) vs \(c.ids.prefix(20))")
                          tokens   \(tokens == c.tokens ? "ok" : "\(tokens.prefix(12)) vs \(c.tokens.prefix(12))")
                          special  \(withSpecial == c.idsWithSpecial ? "ok" : "\(withSpecial.prefix(8)) vs \(c.idsWithSpecial.prefix(8))")
                          decoded  \(decoded == c.decoded ? "ok" : "\(String(reflecting: decoded.prefix(60))) vs \(String(reflecting: c.decoded.prefix(60)))")
                        """)
                }
            }
        }
        print("\(name): \(mismatches) mismatches of \(cases.count) cases")
        #expect(mismatches == 0)
    }
}
