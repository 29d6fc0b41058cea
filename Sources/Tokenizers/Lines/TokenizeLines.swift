import Foundation
import JSON

/// `kasane tokenize --jsonl`: one `{"text": ...}` per line in, one `{"ids": [...]}` out (or the reverse with
/// decoding), as compact JSON lines.
public struct TokenizeLines {
    public let tokenizer: Tokenizer
    public let addSpecialTokens: Bool
    /// Decoding: keep special tokens in the text.
    public let keepSpecial: Bool

    public init(tokenizer: Tokenizer, addSpecialTokens: Bool = false, keepSpecial: Bool = false) {
        self.tokenizer = tokenizer; self.addSpecialTokens = addSpecialTokens; self.keepSpecial = keepSpecial
    }

    /// `--text`: the ids of `text` as a JSON array; decoding, `text` is a JSON array of ids and the result its text.
    public func convert(text: String, decode: Bool) throws -> String {
        guard decode else { return JSONWriter.intArray(try tokenizer.encode(text, addSpecialTokens: addSpecialTokens)) }
        return try self.decode(ids: try JSONParser.parse(Array(text.utf8), file: "--text"), file: "--text", field: "ids")
    }

    /// `--jsonl`: every line of `file` ('-': standard input), handed to `write` in chunks of about 1 MiB.
    public func convert(jsonl file: String, decode: Bool, write: (String) -> Void) throws {
        var out = ""
        for (i, line) in try JSONLines.read(path: file).enumerated() {
            out += decode ? try self.decode(line, number: i + 1, file: file) : try encode(line, number: i + 1, file: file)
            if out.utf8.count > 1 << 20 {
                write(out)
                out = ""
            }
        }
        write(out)
    }

    /// The output line (with its newline) for input line `number` (1-based) of `file`.
    public func encode(_ line: JSONValue, number: Int, file: String) throws -> String {
        guard let text = line["text"]?.stringValue else {
            throw TokenizerError.badField(file: file, field: "line \(number)", reason: "expected {\"text\": string}")
        }
        return "{\"ids\":" + JSONWriter.intArray(try tokenizer.encode(text, addSpecialTokens: addSpecialTokens)) + "}\n"
    }

    public func decode(_ line: JSONValue, number: Int, file: String) throws -> String {
        let text = try decode(ids: line["ids"], file: file, field: "line \(number): ids")
        return "{\"text\":" + JSONWriter.quote(text) + "}\n"
    }

    /// `ids` must be a JSON array of integers.
    public func decode(ids: JSONValue?, file: String, field: String) throws -> String {
        guard let array = ids?.arrayValue else {
            throw TokenizerError.badField(file: file, field: field, reason: "expected a JSON array of ids")
        }
        let values = try array.map { value in
            guard let id = value.intValue else {
                throw TokenizerError.badField(file: file, field: field, reason: "ids must be integers")
            }
            return id
        }
        return try tokenizer.decode(values, skipSpecialTokens: !keepSpecial)
    }
}
