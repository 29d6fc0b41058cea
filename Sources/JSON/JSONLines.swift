import Foundation

/// Reads a JSON Lines file ("-" is standard input): each non-blank line parsed; an error names the line.
public enum JSONLines {
    public static func read(path: String) throws(JSONError) -> [JSONValue] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let d = FileManager.default.contents(atPath: path) else { throw JSONError.unreadable(file: path) }
            data = d
        }
        var out: [JSONValue] = []
        var lineNumber = 0
        for line in [UInt8](data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Array(line)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            out.append(try JSONParser.parse(bytes, file: "\(path) line \(lineNumber)"))
        }
        return out
    }
}
