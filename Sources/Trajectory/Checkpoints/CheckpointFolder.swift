import Foundation
import JSON
import Llama
import SafeTensors

/// A checkpoint folder: which files hold its model (the loader's own rule, `WeightStore.weightFiles`), its
/// config.json, its fingerprint (CheckpointFingerprint.swift), and whether another folder holds the same model
/// architecture. Discovery, loading, averaging and the store all go through it.
public struct CheckpointFolder: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    /// config.json keys that vary between checkpoints of one run without changing the model.
    public static let ignoredConfigKeys: Set<String> = [
        "_name_or_path", "transformers_version", "torch_dtype", "dtype", "use_cache", "_commit_hash",
    ]

    /// config.json, then the shard index and its shards or `model.safetensors`, relative to the folder. Missing
    /// pieces are errors naming the file.
    public func modelFiles() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TrajectoryError.checkpoint(path: path, reason: "checkpoint folder does not exist")
        }
        guard FileManager.default.fileExists(atPath: file("config.json")) else {
            throw TrajectoryError.checkpoint(path: path, reason: "missing config.json")
        }
        do {
            let (index, files) = try WeightStore.weightFiles(directory: path)
            return ["config.json"] + (index == nil ? [] : [WeightStore.indexFileName]) + files
        } catch let error as SafeTensorsError {
            throw TrajectoryError.checkpoint(path: path, reason: error.description)
        }
    }

    /// config.json's fields.
    public func config() throws -> [String: JSONValue] {
        let configPath = file("config.json")
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw TrajectoryError.missingFile(path: configPath, what: "config.json")
        }
        return try Self.parseConfig(data, path: configPath)
    }

    /// Throws `configMismatch` naming the first differing architecture key (in key order); with `tokenizer`, the
    /// tokenizer.json files must be identical too (averaged members must share it).
    public func checkCompatible(with reference: CheckpointFolder, tokenizer: Bool = false) throws {
        try Self.checkConfig(try config(), at: path, against: try reference.config(), at: reference.path)
        guard tokenizer else { return }
        let mine = FileManager.default.contents(atPath: file("tokenizer.json"))
        guard mine == FileManager.default.contents(atPath: reference.file("tokenizer.json")) else {
            throw TrajectoryError.checkpoint(path: file("tokenizer.json"), reason: "differs from "
                + reference.file("tokenizer.json") + "; averaged members must share the tokenizer")
        }
    }

    /// Fingerprints every checkpoint (in order) and checks their configs against the first.
    public static func fingerprintAll(_ checkpoints: [Checkpoint], verify: Bool = false) throws -> [CheckpointFingerprint] {
        var result: [CheckpointFingerprint] = []
        for checkpoint in checkpoints {
            let fingerprint = try CheckpointFolder(checkpoint.path).fingerprint(verify: verify)
            if let first = result.first, let firstPath = checkpoints.first?.path {
                try checkConfig(fingerprint.config, at: checkpoint.path, against: first.config, at: firstPath)
            }
            result.append(fingerprint)
        }
        return result
    }

    static func checkConfig(_ other: [String: JSONValue], at path: String,
                            against reference: [String: JSONValue], at referencePath: String) throws {
        let keys = Set(reference.keys).union(other.keys).subtracting(ignoredConfigKeys).sorted()
        for key in keys where reference[key] != other[key] {
            throw TrajectoryError.configMismatch(
                path: path, reference: referencePath, field: key,
                expected: reference[key]?.description ?? "absent", found: other[key]?.description ?? "absent")
        }
    }

    static func parseConfig(_ data: Data, path: String) throws -> [String: JSONValue] {
        do { return try LlamaConfig.fields(of: data, file: path) } catch {
            throw TrajectoryError.checkpoint(path: path, reason: "not a JSON object")
        }
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}
