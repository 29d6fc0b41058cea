import Foundation
import JSON
import Testing
@testable import Tokenizers

@Suite struct TokenizerBenchmarkTests {
    /// The benchmark encodes the `text` of each JSON line (lines without one are skipped) and says what it read.
    @Test func measuresTheTextsOfAJSONLinesFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kasane-tokbench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tokenizer = #"""
            {"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,"pre_tokenizer":null,
             "post_processor":null,"decoder":null,
             "model":{"type":"Unigram","unk_id":0,"byte_fallback":false,"vocab":[["<unk>",0.0],["a",-1.0],["b",-2.0]]}}
            """#
        try tokenizer.write(to: dir.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
        let lines = dir.appendingPathComponent("texts.jsonl")
        try "{\"text\":\"ab\"}\n{\"id\":2}\n{\"text\":\"bba\"}\n".write(to: lines, atomically: true, encoding: .utf8)
        let line = try TokenizerBenchmark.run(path: dir.path, jsonl: lines.path, repeats: 1, addSpecialTokens: false)
        let measures = try JSONParser.parse(Array(line.utf8), file: "benchmark")
        #expect(measures["impl"]?.stringValue == "kasane")
        #expect(measures["texts"]?.intValue == 2 && measures["bytes"]?.intValue == 5 && measures["tokens"]?.intValue == 5)
    }
}
