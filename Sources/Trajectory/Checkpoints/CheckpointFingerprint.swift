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

    static func sampleOffsets(dataStart: Int, size: Int) -> [Int] {
        guard size > dataStart else { return [] }
        let span = size - dataStart
        if span <= 3 * sampleBytes { return [dataStart] }
        return [dataStart, dataStart + span / 2 - sampleBytes / 2, size - sampleBytes]
    }

    static func read(_ handle: FileHandle, count: Int, path: String) throws -> Data {
        let data: Data
        do { data = try handle.read(upToCount: count) ?? Data() } catch {
            throw TrajectoryError.checkpoint(path: path, reason: "read error (\(error.localizedDescription))")
        }
        guard data.count == count else {
            throw TrajectoryError.checkpoint(path: path, reason: "file shrank while reading (\(data.count) of \(count) bytes)")
        }
        return data
    }

    static func hashWhole(_ handle: FileHandle, size: Int, path: String, into hasher: inout SHA256) throws {
        var remaining = size
        let chunk = 4 << 20
        while remaining > 0 {
            let data = try read(handle, count: min(chunk, remaining), path: path)
            hasher.update(data)
            remaining -= data.count
        }
    }
    static func size(of path: String) throws -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw TrajectoryError.checkpoint(path: path, reason: "cannot read the file size")
        }
        return size
    }

    struct Header { var bytes: Data; var dataStart: Int }

    /// Reads and checks the safetensors header: its length fits the file, it is a JSON object, and the tensors'
    /// data end exactly at the end of the file (a half-written file fails here).
    static func safetensorsHeader(_ handle: FileHandle, size: Int, path: String) throws -> Header {
        guard size >= 8, let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else {
            throw TrajectoryError.checkpoint(path: path, reason: "truncated safetensors file (\(size) bytes)")
        }
        let length = prefix.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= UInt64(size - 8), length <= 100_000_000 else {
            throw TrajectoryError.checkpoint(path: path, reason: "header length \(length) exceeds the file size \(size)")
        }
        guard let json = try? handle.read(upToCount: Int(length)), json.count == Int(length),
              let header = (try? JSONParser.parse(json, file: path, options: .safetensors))?.objectValue else {
            throw TrajectoryError.checkpoint(path: path, reason: "safetensors header is not a JSON object")
        }
        var end = 0
        for (name, value) in header where name != "__metadata__" {
            guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2, let last = offsets[1].intValue else {
                throw TrajectoryError.checkpoint(path: path, reason: "tensor '\(name)' has no data_offsets")
            }
            end = max(end, last)
        }
        let expected = 8 + Int(length) + end
        guard expected == size else {
            throw TrajectoryError.checkpoint(
                path: path, reason: "size \(size) bytes, but the header describes \(expected) (half-written or truncated?)")
        }
        return Header(bytes: prefix + json, dataStart: 8 + Int(length))
    }
}

extension CheckpointFolder {
    /// The folder's fingerprint; `verify` adds the full SHA-256 of every model file.
    public func fingerprint(verify: Bool = false) throws -> CheckpointFingerprint {
        let folder = path
        let files = try modelFiles()
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
            let size = try CheckpointFingerprint.size(of: path)
            total += size
            quick.update("\(file)\n\(size)\n")
            if file == "config.json" {
                let data = try CheckpointFingerprint.read(handle, count: size, path: path)
                config = try Self.parseConfig(data, path: path)
                quick.update(data)
            } else if file.hasSuffix(".safetensors") {
                let header = try CheckpointFingerprint.safetensorsHeader(handle, size: size, path: path)
                quick.update(header.bytes)
                for offset in CheckpointFingerprint.sampleOffsets(dataStart: header.dataStart, size: size) {
                    try handle.seek(toOffset: UInt64(offset))
                    quick.update(try CheckpointFingerprint.read(handle, count: min(CheckpointFingerprint.sampleBytes, size - offset), path: path))
                }
            } else {
                // The shard index: small JSON.
                quick.update(try CheckpointFingerprint.read(handle, count: size, path: path))
            }
            if full != nil {
                try handle.seek(toOffset: 0)
                try CheckpointFingerprint.hashWhole(handle, size: size, path: path, into: &full!)
            }
        }
        return CheckpointFingerprint(fingerprint: quick.finalizeHex(), contentSHA256: full.map { var h = $0; return h.finalizeHex() },
                                     config: config, files: files, totalBytes: total)
    }
}
