import Evaluation
import Foundation
import JSON

/// What identifies a checkpoint's model: its config and weight files.
///
/// The quick fingerprint hashes config.json, each safetensors file's name, size and header, and three 64 KiB samples
/// of its data (start, middle, end), so a changed, truncated or half-written checkpoint is noticed without reading
/// gigabytes. `verify` adds a full SHA-256 of every model file.
public struct CheckpointFingerprint: Sendable, Equatable {
    public var fingerprint: String
    /// Full SHA-256 over every model file (config.json first, then weight files by name); nil without `verify`.
    public var contentSHA256: String?
    /// The parsed config.json (for cross-checkpoint comparison).
    public var config: [String: JSONValue]
    /// Model files, relative to the checkpoint folder, config.json first.
    public var files: [String]
    public var totalBytes: Int

    static let sampleBytes = 64 * 1024

    public static func compute(_ checkpoint: Checkpoint, verify: Bool = false) throws -> CheckpointFingerprint {
        let folder = checkpoint.path
        let files = try CheckpointFiles.modelFiles(in: folder)
        var quick = SHA256()
        var full = verify ? SHA256() : nil
        var total = 0
        var config: [String: JSONValue] = [:]
        for file in files {
            let path = (folder as NSString).appendingPathComponent(file)
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw TrajectoryError.checkpoint(path: path, reason: "cannot open for reading")
            }
            defer { try? handle.close() }
            let size = try CheckpointFiles.size(of: path)
            total += size
            quick.update("\(file)\n\(size)\n")
            if file == "config.json" {
                let data = try read(handle, count: size, path: path)
                config = try CheckpointFiles.parseConfig(data, path: path)
                quick.update(data)
            } else if file.hasSuffix(".safetensors") {
                let header = try CheckpointFiles.safetensorsHeader(handle, size: size, path: path)
                quick.update(header.bytes)
                for offset in sampleOffsets(dataStart: header.dataStart, size: size) {
                    try handle.seek(toOffset: UInt64(offset))
                    quick.update(try read(handle, count: min(sampleBytes, size - offset), path: path))
                }
            } else {
                // The shard index: small JSON.
                quick.update(try read(handle, count: size, path: path))
            }
            if full != nil {
                try handle.seek(toOffset: 0)
                try hashWhole(handle, size: size, path: path, into: &full!)
            }
        }
        return CheckpointFingerprint(fingerprint: quick.finalizeHex(), contentSHA256: full.map { var h = $0; return h.finalizeHex() },
                                     config: config, files: files, totalBytes: total)
    }

    private static func sampleOffsets(dataStart: Int, size: Int) -> [Int] {
        guard size > dataStart else { return [] }
        let span = size - dataStart
        if span <= 3 * sampleBytes { return [dataStart] }
        return [dataStart, dataStart + span / 2 - sampleBytes / 2, size - sampleBytes]
    }

    private static func read(_ handle: FileHandle, count: Int, path: String) throws -> Data {
        let data: Data
        do { data = try handle.read(upToCount: count) ?? Data() } catch {
            throw TrajectoryError.checkpoint(path: path, reason: "read error (\(error.localizedDescription))")
        }
        guard data.count == count else {
            throw TrajectoryError.checkpoint(path: path, reason: "file shrank while reading (\(data.count) of \(count) bytes)")
        }
        return data
    }

    private static func hashWhole(_ handle: FileHandle, size: Int, path: String, into hasher: inout SHA256) throws {
        var remaining = size
        let chunk = 4 << 20
        while remaining > 0 {
            let data = try read(handle, count: min(chunk, remaining), path: path)
            hasher.update(data)
            remaining -= data.count
        }
    }
}
