import Foundation
import Trajectory

/// What a command shows while it works: lasting lines on stdout, written at once so that progress shows up even
/// when piped (none when quiet), and, on a terminal, one status line on stderr that each update overwrites and a
/// lasting line clears first.
final class Console: @unchecked Sendable {
    let quiet: Bool
    /// The status line is shown: not quiet, and stderr is a terminal.
    let live: Bool
    private var width = 0

    init(quiet: Bool = false) { (self.quiet, live) = (quiet, !quiet && isatty(2) != 0) }

    func say(_ line: String) {
        guard !quiet else { return }
        clear()
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    func show(_ status: String) {
        guard live else { return }
        let padded = status.count < width ? status + String(repeating: " ", count: width - status.count) : status
        width = status.count
        FileHandle.standardError.write(Data(("\r" + padded).utf8))
    }

    func clear() {
        guard width > 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: width) + "\r").utf8))
        width = 0
    }

    /// What `eval` and `sweep` show of a run: each checkpoint's line, the batch as the status line, notes.
    var events: TrajectoryEvents {
        TrajectoryEvents(checkpoint: { self.say($0.line) }, batch: show, notice: { Console.error("note: " + $0) })
    }

    /// A line on stderr, apart from the output: a note, a failure, timings.
    static func error(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
