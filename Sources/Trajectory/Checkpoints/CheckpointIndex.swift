import Foundation

/// The ordered checkpoints of one pretraining run, found in a folder of checkpoint folders or read from a list file.
public struct CheckpointIndex: Sendable {
    /// The folder or list file the checkpoints came from.
    public let source: String
    /// Every checkpoint, ordered by step; `position` is the index in this list.
    public let checkpoints: [Checkpoint]

    /// A folder of checkpoint folders, or a list file of `path step` lines.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrajectoryError.checkpoint(path: path, reason: "no such folder or list file")
        }
        self = isDirectory.boolValue ? try CheckpointIndex(directory: path) : try CheckpointIndex(listFile: path)
    }

    public init(directory: String) throws {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw TrajectoryError.checkpoint(path: directory, reason: "cannot list the folder (\(error.localizedDescription))")
        }
        var found: [Checkpoint] = []
        for name in names.sorted() {
            guard let (scheme, step) = CheckpointNaming.parse(name) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                continue
            }
            found.append(Checkpoint(step: step, path: path, naming: scheme))
        }
        if found.isEmpty {
            let isCheckpoint = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("config.json"))
            let hint = isCheckpoint ? "; it looks like a single checkpoint: use --model" : ""
            let schemes = CheckpointNaming.allCases.map(\.rawValue).joined(separator: ", ")
            throw TrajectoryError.checkpoint(path: directory, reason: "no checkpoint folders (\(schemes))\(hint)")
        }
        source = directory
        checkpoints = try CheckpointIndex.ordered(found, source: directory)
    }

    /// Lines `path step` (path relative to the list file's folder unless absolute); `#` starts a comment.
    public init(listFile: String) throws {
        let text: String
        do { text = try String(contentsOfFile: listFile, encoding: .utf8) } catch {
            throw TrajectoryError.checkpoint(path: listFile, reason: "cannot read the list file as UTF-8 text")
        }
        let base = (listFile as NSString).deletingLastPathComponent
        var found: [Checkpoint] = []
        for (number, rawLine) in text.components(separatedBy: .newlines).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
                .map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            if line.isEmpty { continue }
            // The step is the last field, so paths may contain spaces.
            guard let split = line.lastIndex(where: { $0 == " " || $0 == "\t" }),
                  let step = Int(line[line.index(after: split)...]), step >= 0 else {
                throw TrajectoryError.checkpoint(path: listFile,
                                                 reason: "line \(number + 1): expected 'path step', found '\(line)'")
            }
            let rawPath = line[..<split].trimmingCharacters(in: .whitespaces)
            let path = rawPath.hasPrefix("/") ? rawPath : (base.isEmpty ? rawPath : (base as NSString).appendingPathComponent(rawPath))
            found.append(Checkpoint(step: step, path: path))
        }
        if found.isEmpty { throw TrajectoryError.checkpoint(path: listFile, reason: "the list file names no checkpoints") }
        source = listFile
        checkpoints = try CheckpointIndex.ordered(found, source: listFile)
    }

    private static func ordered(_ found: [Checkpoint], source: String) throws -> [Checkpoint] {
        let sorted = found.sorted { $0.step < $1.step }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.step == b.step {
            throw TrajectoryError.checkpoint(path: source, reason: "step \(a.step) appears twice (\(a.name) and \(b.name))")
        }
        return sorted.enumerated().map { position, c in
            var c = c
            c.position = position
            return c
        }
    }

    /// Applies `--steps` first, then `--last-fraction` to what remains.
    public func select(steps: StepRange? = nil, lastFraction: LastFraction? = nil) throws -> [Checkpoint] {
        var chosen = checkpoints
        if let steps { chosen = steps.select(chosen) }
        if let lastFraction { chosen = lastFraction.select(chosen) }
        if chosen.isEmpty {
            let all = checkpoints.map(\.step)
            throw TrajectoryError.selection("\(source): the selection leaves no checkpoints (steps available: "
                + "\(all.prefix(8).map(String.init).joined(separator: ", "))\(all.count > 8 ? ", …" : ""))")
        }
        return chosen
    }
}
