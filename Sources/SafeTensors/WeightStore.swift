import Foundation
import JSON

/// A checkpoint folder's tensors: `model.safetensors.index.json` with its shards if present, else
/// `model.safetensors`. Every tensor named by the index is checked to exist in its shard when opening.
public final class WeightStore: @unchecked Sendable {
    public static let indexFileName = "model.safetensors.index.json"
    public static let singleFileName = "model.safetensors"

    public let directory: String
    public let tensorNames: [String]
    /// The index's `metadata` object (string and integer values as text), empty without an index.
    public let indexMetadata: [String: String]
    /// The index file, or the single file: what errors about absent tensors name.
    public let source: String
    private let files: [String: SafeTensorsFile]          // shard file name → file
    private let location: [String: String]                // tensor → shard file name

    public init(directory: String) throws {
        self.directory = directory
        let indexPath = (directory as NSString).appendingPathComponent(Self.indexFileName)
        let singlePath = (directory as NSString).appendingPathComponent(Self.singleFileName)
        let fm = FileManager.default
        if fm.fileExists(atPath: indexPath) {
            let index = try ShardIndex(path: indexPath)
            var files: [String: SafeTensorsFile] = [:]
            for shard in Set(index.weightMap.values).sorted() {
                files[shard] = try SafeTensorsFile(path: (directory as NSString).appendingPathComponent(shard))
            }
            for (tensor, shard) in index.weightMap.sorted(by: { $0.key < $1.key }) {
                guard let file = files[shard], file.contains(tensor) else {
                    throw SafeTensorsError.missingTensor(file: (directory as NSString).appendingPathComponent(shard), tensor: tensor)
                }
            }
            self.source = indexPath
            self.files = files
            self.location = index.weightMap
            self.indexMetadata = index.metadata
            self.tensorNames = index.weightMap.keys.sorted()
        } else if fm.fileExists(atPath: singlePath) {
            let file = try SafeTensorsFile(path: singlePath)
            source = singlePath
            files = [Self.singleFileName: file]
            location = Dictionary(uniqueKeysWithValues: file.tensorNames.map { ($0, Self.singleFileName) })
            indexMetadata = [:]
            tensorNames = file.tensorNames
        } else {
            throw SafeTensorsError.io(file: directory, message: "no \(Self.singleFileName) or \(Self.indexFileName) in this folder")
        }
    }

    /// The file holding `name`.
    public func file(containing name: String) throws -> SafeTensorsFile {
        guard let shard = location[name], let file = files[shard] else {
            throw SafeTensorsError.missingTensor(file: source, tensor: name)
        }
        return file
    }

    public func contains(_ name: String) -> Bool { location[name] != nil }

    public func info(_ name: String) throws -> TensorInfo {
        try file(containing: name).info(name)
    }

    public func floats(_ name: String) throws -> [Float] {
        try file(containing: name).floats(name)
    }

    public func copyFloats(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws {
        try file(containing: name).copyFloats(name, into: into)
    }
}

/// `model.safetensors.index.json`: `weight_map` tensor → shard file name (a plain name in the same folder).
public struct ShardIndex: Sendable {
    public let weightMap: [String: String]
    public let metadata: [String: String]

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SafeTensorsError.io(file: path, message: "cannot read")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(data, file: path, options: .safetensors)
        } catch {
            throw SafeTensorsError.header(file: path, field: "index", message: error.message)
        }
        guard case .object(let members) = json else {
            throw SafeTensorsError.header(file: path, field: "index", message: "expected a JSON object, found \(json.typeName)")
        }
        var map: [String: String]?
        var metadata: [String: String] = [:]
        for (key, value) in members {
            switch key {
            case "weight_map":
                guard case .object(let pairs) = value else {
                    throw SafeTensorsError.header(file: path, field: "weight_map", message: "expected an object, found \(value.typeName)")
                }
                var m: [String: String] = [:]
                for (tensor, shardValue) in pairs {
                    guard case .string(let shard) = shardValue else {
                        throw SafeTensorsError.header(file: path, field: "weight_map.\(tensor)", message: "expected a file name, found \(shardValue.typeName)")
                    }
                    if let problem = Self.problem(withShardName: shard) {
                        throw SafeTensorsError.header(file: path, field: "weight_map.\(tensor)", message: "shard name '\(shard)' \(problem)")
                    }
                    m[tensor] = shard
                }
                map = m
            case "metadata":
                if case .object(let pairs) = value {
                    for (k, v) in pairs {
                        switch v {
                        case .string(let s): metadata[k] = s
                        case .integer(let i): metadata[k] = String(i)
                        case .number(let d): metadata[k] = String(d)
                        default: break
                        }
                    }
                }
            default: break
            }
        }
        guard let map else { throw SafeTensorsError.header(file: path, field: "weight_map", message: "missing") }
        weightMap = map
        self.metadata = metadata
    }

    /// Shards must be plain file names in the index's folder: nothing that could reach another directory.
    static func problem(withShardName name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name == "." || name == ".." || name.contains("..") { return "contains '..'" }
        if name.hasPrefix("/") { return "is an absolute path" }
        if name.contains("/") || name.contains("\\") { return "is not a plain file name (contains a path separator)" }
        if name.contains("\0") { return "contains a NUL byte" }
        return nil
    }
}
