import ArgumentParser
import Foundation
import Trajectory

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

/// Writes `text` to stdout or to a file.
func emit(_ text: String, to path: String?) throws {
    guard let path else { return print(text) }
    try OutputFile.write(text, to: path)
}
