import Foundation
import Trajectory

/// A status line on stderr that each update overwrites (only on a terminal); cleared before a permanent line.
final class StatusLine: @unchecked Sendable {
    let enabled: Bool
    private var width = 0
    init(enabled: Bool) { self.enabled = enabled && isatty(2) != 0 }

    func show(_ text: String) {
        guard enabled else { return }
        let padded = text.count < width ? text + String(repeating: " ", count: width - text.count) : text
        width = text.count
        FileHandle.standardError.write(Data(("\r" + padded).utf8))
    }

    func clear() {
        guard enabled, width > 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8))
        width = 0
    }
}

/// Unbuffered stdout line: progress shows up at once even when piped to a file.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// A line on stderr for something the user should know that does not stop the command.
func note(_ line: String) { FileHandle.standardError.write(Data("note: \(line)\n".utf8)) }

extension TrajectoryEvents {
    /// What `eval` and `sweep` show of a run: each checkpoint's line (unless quiet), the batch on `live`, notes.
    static func printing(on live: StatusLine, quiet: Bool) -> TrajectoryEvents {
        TrajectoryEvents(checkpoint: { if !quiet { live.clear(); say($0.line) } }, batch: { live.show($0) }, notice: note)
    }
}
