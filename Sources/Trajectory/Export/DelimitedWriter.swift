import Foundation
import JSON

/// Buffered text output to a file, created fresh (write to a temp name, rename at the end).
final class TextFileWriter {
    let path: String
    private let temporary: String
    private let handle: FileHandle
    private var buffer = Data()

    init(path: String) throws {
        self.path = path
        temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw TrajectoryError.output(path: path, reason: "cannot create the file")
        }
        self.handle = handle
    }

    func write(_ text: String) throws {
        buffer.append(Data(text.utf8))
        if buffer.count > 1 << 20 { try flush() }
    }

    private func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch {
            throw TrajectoryError.output(path: path, reason: "write failed (\(error.localizedDescription))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        try flush()
        try? handle.close()
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            throw TrajectoryError.output(path: path, reason: "cannot rename the finished file (\(error.localizedDescription))")
        }
    }
}

/// RFC 4180 CSV fields: quoted when they hold a comma, quote or line break.
enum CSV {
    static func field(_ value: String) -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }

    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }
}

/// One JSON object per line; keys sorted, non-ASCII kept as is (NaN/inf are written as null by `JSONValue.finite`).
enum JSONLines {
    static func line(_ object: [String: JSONValue]) -> String {
        JSONWriter.string(.dictionary(object), sortKeys: true) + "\n"
    }
}
