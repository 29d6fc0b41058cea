import Foundation
import SafeTensors
import Llama
import JSON

/// Which files make up a checkpoint's model, and the integrity checks on them.
enum CheckpointFiles {
    /// config.json, then either `model.safetensors.index.json` and every shard it names, or `model.safetensors`:
    /// the rule `WeightStore` loads by, so discovery never admits a folder the loader rejects. Missing pieces are
    /// errors naming the file.
    static func modelFiles(in folder: String) throws -> [String] {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TrajectoryError.checkpoint(path: folder, reason: "checkpoint folder does not exist")
        }
        func exists(_ name: String) -> Bool { files.fileExists(atPath: (folder as NSString).appendingPathComponent(name)) }
        guard exists("config.json") else {
            throw TrajectoryError.checkpoint(path: folder, reason: "missing config.json")
        }
        let index = WeightStore.indexFileName
        if exists(index) {
            let path = (folder as NSString).appendingPathComponent(index)
            guard let shardIndex = try? ShardIndex(path: path) else {
                throw TrajectoryError.checkpoint(path: path, reason: "no readable 'weight_map' object")
            }
            let shards = Set(shardIndex.weightMap.values).sorted()
            guard !shards.isEmpty else { throw TrajectoryError.checkpoint(path: path, reason: "'weight_map' is empty") }
            for shard in shards where !exists(shard) || shard.contains("/") {
                throw TrajectoryError.checkpoint(path: (folder as NSString).appendingPathComponent(shard),
                                                 reason: "shard named in \(index) is missing")
            }
            return ["config.json", index] + shards
        }
        if exists(WeightStore.singleFileName) { return ["config.json", WeightStore.singleFileName] }
        let all = (try? files.contentsOfDirectory(atPath: folder)) ?? []
        let other = all.contains { $0.hasSuffix(".bin") || $0.hasSuffix(".pt") } ? " (PyTorch .bin/.pt weights are not supported)"
            : all.contains { $0.hasSuffix(".safetensors") } ? " (other *.safetensors files need an index)" : ""
        throw TrajectoryError.checkpoint(path: folder, reason: "missing \(WeightStore.singleFileName) or \(index)\(other)")
    }

    static func size(of path: String) throws -> Int {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.intValue else {
            throw TrajectoryError.checkpoint(path: path, reason: "cannot read the file size")
        }
        return size
    }

    static func parseConfig(_ data: Data, path: String) throws -> [String: JSONValue] {
        do { return try LlamaConfig.fields(of: data, file: path) } catch {
            throw TrajectoryError.checkpoint(path: path, reason: "not a JSON object")
        }
    }

    static func readConfig(folder: String) throws -> [String: JSONValue] {
        let path = (folder as NSString).appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrajectoryError.missingFile(path: path, what: "config.json")
        }
        return try parseConfig(data, path: path)
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
