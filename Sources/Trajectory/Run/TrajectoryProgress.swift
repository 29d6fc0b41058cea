import Foundation
import Linalg

/// Progress of a trajectory run, reported once per checkpoint.
public struct CheckpointProgress: Sendable {
    public var position: Int          // 1-based, of `total`
    public var total: Int
    public var checkpoint: Checkpoint
    public var examples: Int          // examples of this checkpoint now stored
    public var newExamples: Int       // evaluated in this invocation
    /// Tokens processed for the new examples: prompt tokens plus generated tokens.
    public var tokens: Int
    public var seconds: Double
    /// Estimated seconds for the rest of the run, nil until something was evaluated.
    public var etaSeconds: Double?
    /// The checkpoint's AVG score, when computed.
    public var avg: Double?

    public var line: String {
        let name = "[\(position)/\(total)] \(checkpoint.name) (step \(checkpoint.step))"
        let score = avg.map { ", AVG \(String(format: "%.4f", $0))" } ?? ""
        if newExamples == 0 { return "\(name): \(examples) samples already stored\(score)" }
        let speed = seconds > 0 ? Double(tokens) / seconds : 0
        var text = "\(name): \(examples) samples (\(newExamples) new), \(String(format: "%.1f", speed)) tok/s,"
            + " \(DurationText.format(seconds))"
        text += score
        if let etaSeconds { text += ", ETA \(DurationText.format(etaSeconds))" }
        return text
    }
}

/// What a trajectory run tells its caller while it works; every hook is optional.
public struct TrajectoryEvents {
    /// Once per checkpoint, when it is done.
    public var checkpoint: (CheckpointProgress) -> Void
    /// After every stored batch, a short status ("[2/10] step 2000: jnli 40/100") for a live line.
    public var batch: (String) -> Void
    /// Something the user should know that does not stop the run (a checkpoint changed since it was evaluated).
    public var notice: (String) -> Void
    public init(checkpoint: @escaping (CheckpointProgress) -> Void = { _ in }, batch: @escaping (String) -> Void = { _ in },
                notice: @escaping (String) -> Void = { _ in }) {
        self.checkpoint = checkpoint; self.batch = batch; self.notice = notice
    }
}

/// Appends timestamped lines to a log file (timings per checkpoint and dataset).
public final class RunLog: @unchecked Sendable {
    private let handle: FileHandle?
    private let lock = NSLock()
    public let path: String?

    public init(path: String?) throws {
        self.path = path
        guard let path else { handle = nil; return }
        if !FileManager.default.fileExists(atPath: path), !FileManager.default.createFile(atPath: path, contents: nil) {
            throw TrajectoryError.output(path: path, reason: "cannot create the log file")
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TrajectoryError.output(path: path, reason: "cannot open the log file for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit { try? handle?.close() }

    public func write(_ message: String) {
        guard let handle else { return }
        let line = "\(ISO8601DateFormatter().string(from: Date())) \(message)\n"
        lock.lock(); defer { lock.unlock() }
        handle.write(Data(line.utf8))
    }
}
