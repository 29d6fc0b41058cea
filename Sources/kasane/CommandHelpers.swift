import ArgumentParser
import Foundation

/// Parses `--ids 1,2,3` (spaces allowed) into token ids.
func parseTokenIds(_ text: String, option: String = "--ids") throws -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        .map { String($0).trimmingCharacters(in: .whitespaces) }
    if parts.count == 1 && parts[0].isEmpty { throw ValidationError("\(option): no token ids given") }
    return try parts.map { part in
        guard let id = Int(part), id >= 0 else { throw ValidationError("\(option): '\(part)' is not a token id") }
        return id
    }
}

/// Peak resident memory of this process in bytes (Linux `ru_maxrss` is in KiB).
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
}

/// Writes `text` to stdout or to a file: whole or not at all (temp file + rename) for a regular file, straight into
/// anything else (`/dev/null`, `/dev/stdout`, a FIFO), where a rename would replace the device node itself.
func emit(_ text: String, to path: String?) throws {
    if let path {
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        let atomically = type == nil || type == .typeRegular
        do { try text.write(toFile: path, atomically: atomically, encoding: .utf8) } catch {
            throw CommandError.output(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    } else {
        print(text)
    }
}
