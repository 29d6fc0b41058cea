import Foundation

/// The project's one JSON parser, over UTF-8 bytes. Hand-rolled because a 6 MB tokenizer.json parses in tens of
/// milliseconds (several times faster than JSONSerialization on Linux), integers stay exact, and every error names
/// the byte where parsing stopped.
public struct JSONParser {
    /// How strict to be beyond RFC 8259.
    public struct Options: Sendable {
        /// Reject an object that repeats a key (the safetensors reference reader does; Python's json keeps the last).
        public var rejectDuplicateKeys = false
        public var maxDepth = 512
        public init(rejectDuplicateKeys: Bool = false, maxDepth: Int = 512) {
            self.rejectDuplicateKeys = rejectDuplicateKeys
            self.maxDepth = maxDepth
        }
        /// safetensors headers and shard indexes.
        public static let safetensors = Options(rejectDuplicateKeys: true, maxDepth: 64)
    }

    private let bytes: UnsafeRawBufferPointer
    private var pos = 0
    private let file: String
    private let options: Options
    private var depth = 0
    private var scratch: [UInt8] = []

    public static func parse(_ bytes: UnsafeRawBufferPointer, file: String, options: Options = Options()) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, file: file, options: options)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.pos != bytes.count { throw parser.fail("unexpected content after the JSON value") }
        return value
    }

    public static func parse(_ data: [UInt8], file: String, options: Options = Options()) throws(JSONError) -> JSONValue {
        do {
            return try data.withUnsafeBytes { try parse($0, file: file, options: options) }
        } catch let error as JSONError {
            throw error
        } catch {
            preconditionFailure("unreachable: parse throws only JSONError")
        }
    }

    public static func parse(_ data: Data, file: String, options: Options = Options()) throws(JSONError) -> JSONValue {
        try parse([UInt8](data), file: file, options: options)
    }

    public static func parse(file path: String, options: Options = Options()) throws(JSONError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw JSONError.unreadable(file: path) }
        return try parse(data, file: path, options: options)
    }

    private init(bytes: UnsafeRawBufferPointer, file: String, options: Options) {
        self.bytes = bytes
        self.file = file
        self.options = options
    }

    private func fail(_ reason: String) -> JSONError {
        .syntax(file: file, offset: pos, reason: reason)
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { break }
        }
    }

    private mutating func parseValue() throws(JSONError) -> JSONValue {
        guard pos < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(bytes[pos])))'")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(JSONError) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw fail("unexpected end of input") }
        for i in 0..<n where bytes[pos + i] != word.utf8Start[i] { throw fail("invalid literal") }
        pos += n
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        if depth > options.maxDepth { throw fail("nesting deeper than \(options.maxDepth) levels") }
    }

    private mutating func parseObject() throws(JSONError) -> JSONValue {
        try enter()
        pos += 1
        var pairs: [(String, JSONValue)] = []
        var seen = Set<String>()
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { pos += 1; depth -= 1; return .object(pairs) }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyStart = pos
            let key = try parseString()
            if options.rejectDuplicateKeys && !seen.insert(key).inserted {
                throw JSONError.syntax(file: file, offset: keyStart, reason: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            pos += 1
            skipWhitespace()
            pairs.append((key, try parseValue()))
            if try endOfMembers(close: "}", in: "an object") { break }
        }
        depth -= 1
        return .object(pairs)
    }

    /// After a member of an object or array: consumes ',' (false: another member follows) or `close` (true).
    private mutating func endOfMembers(close: Unicode.Scalar, in what: String) throws(JSONError) -> Bool {
        skipWhitespace()
        guard pos < bytes.count else { throw fail("unexpected end of input in \(what)") }
        let byte = bytes[pos]
        pos += 1
        if byte == UInt8(ascii: ",") { return false }
        if byte == UInt8(ascii: close) { return true }
        pos -= 1
        throw fail("expected ',' or '\(close)'")
    }

    private mutating func parseArray() throws(JSONError) -> JSONValue {
        try enter()
        pos += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { pos += 1; depth -= 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            if try endOfMembers(close: "]", in: "an array") { break }
        }
        depth -= 1
        return .array(items)
    }

    private func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }

    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = pos
        let negative = bytes[pos] == UInt8(ascii: "-")
        if negative { pos += 1 }
        let digitsStart = pos
        while isDigit(pos) { pos += 1 }
        if pos == digitsStart { throw fail("invalid number") }
        if bytes[digitsStart] == 0x30 && pos - digitsStart > 1 { throw fail("leading zero in a number") }
        var isInteger = true
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            let f = pos
            while isDigit(pos) { pos += 1 }
            if pos == f { throw fail("invalid number") }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            let e = pos
            while isDigit(pos) { pos += 1 }
            if pos == e { throw fail("invalid number") }
        }
        if isInteger {
            var v = 0
            var overflow = false
            for i in digitsStart..<pos where !overflow {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = negative ? m.subtractingReportingOverflow(Int(bytes[i] - 0x30))
                                       : m.addingReportingOverflow(Int(bytes[i] - 0x30))
                overflow = o1 || o2
                v = s
            }
            if !overflow { return .integer(v) }
        }
        // strtod rounds correctly, as serde_json does.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[start..<pos])
        scratch.append(0)
        let value = scratch.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { strtod($0, nil) }
        }
        return .number(value)
    }

    private mutating func parseString() throws(JSONError) -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let s = try makeString(UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), at: start)
                pos += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("control character in a string") }
            pos += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: bytes[start..<pos])
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                if let s = String(validating: scratch, as: UTF8.self) { return s }
                throw JSONError.invalidUTF8(file: file, offset: start)
            }
            if c < 0x20 { throw fail("control character in a string") }
            if c != UInt8(ascii: "\\") { scratch.append(c); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if code >= 0xD800 && code < 0xDC00 {
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u")
                    else { throw fail("lone surrogate in \\u escape") }
                    pos += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw fail("invalid surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if code >= 0xDC00 && code < 0xE000 {
                    throw fail("lone surrogate in \\u escape")
                }
                guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
                scratch.append(contentsOf: String(Character(scalar)).utf8)
            default: throw fail("invalid escape")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("invalid hex digit in \\u escape")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    private func makeString(_ buf: UnsafeRawBufferPointer, at offset: Int) throws(JSONError) -> String {
        if let s = String(validating: buf.assumingMemoryBound(to: UInt8.self), as: UTF8.self) { return s }
        throw JSONError.invalidUTF8(file: file, offset: offset)
    }
}
