import Foundation
import JSON
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    func parse(_ text: String, options: JSONParser.Options = .init()) throws(JSONError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), file: "x.json", options: options)
    }

    @Test func invalidJSONNamesFileAndOffset() {
        #expect(throws: JSONError.self) { try parse(#"{"a": [1, 2,]}"#) }
        do { _ = try parse(#"{"a": tru}"#); Issue.record("accepted") } catch {
            #expect(error == .syntax(file: "x.json", offset: 6, reason: "invalid literal"))
            #expect(error.description == "x.json: invalid JSON at byte 6: invalid literal")
        }
    }

    @Test func invalidUTF8InsideAString() {
        var bytes = Array(#"{"a": "xx"}"#.utf8)
        bytes[7] = 0xFF
        #expect(throws: JSONError.invalidUTF8(file: "x.json", offset: 7)) { try JSONParser.parse(bytes, file: "x.json") }
    }

    @Test func integersStayExactAndOthersAreDoubles() throws {
        let v = try parse(#"[9007199254740993, -3, 1.0, 1e3, 99999999999999999999]"#)
        #expect(v.arrayValue?.map(\.exactNonNegativeInt) == [9007199254740993, nil, nil, nil, nil])
        #expect(v.arrayValue?.map(\.intValue) == [9007199254740993, -3, 1, 1000, nil])
        #expect(v.arrayValue?[4].doubleValue == 1e20)
    }

    @Test func duplicateKeysOnlyWhenAsked() throws {
        #expect(try parse(#"{"a": 1, "a": 2}"#)["a"] == .integer(2))
        #expect(throws: JSONError.syntax(file: "x.json", offset: 9, reason: "duplicate key \"a\"")) {
            try parse(#"{"a": 1, "a": 2}"#, options: .safetensors)
        }
        #expect(throws: JSONError.self) { try parse(String(repeating: "[", count: 65), options: .safetensors) }
    }

    @Test func equalityIsJSONs() throws {
        #expect(try parse(#"{"a": 1, "b": [true, null]}"#) == parse(#"{"b": [true, null], "a": 1.0}"#))
        #expect(try parse(#"{"a": 1}"#) != parse(#"{"a": "1"}"#))
        #expect(try parse(#"{"b": 2.5, "a": "x"}"#).description == #"{"a": "x", "b": 2.5}"#)
    }

    @Test func escapesAndSurrogates() throws {
        #expect(try parse(#""a\n\u00e9\ud83d\ude00\/""#) == .string("a\né😀/"))
        #expect(throws: JSONError.self) { try parse(#""\ud83d""#) }
    }

    @Test func writerQuotesAsPython() {
        // Python: json.dumps("a\"\\\n\r\t\b\f\u0001é", ensure_ascii=False)
        #expect(JSONWriter.quote("a\"\\\n\r\t\u{08}\u{0C}\u{01}é") == #""a\"\\\n\r\t\b\f\u0001é""#)
    }

    @Test func invalidUTF8InAJSONLinesFile() throws {
        let path = NSTemporaryDirectory() + "kasane-bad-\(getpid()).jsonl"
        var bytes = Array("{\"text\": \"ok\"}\n{\"text\": \"".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"}\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try JSONLines.read(path: path)
            Issue.record("expected an invalid UTF-8 error")
        } catch {
            #expect(String(describing: error).contains("line 2"), "\(error)")
        }
    }
}
