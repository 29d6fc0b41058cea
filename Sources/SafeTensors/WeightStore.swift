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

    /// Which files hold a folder's tensors, the one rule for loading, discovery and fingerprints:
    /// `model.safetensors.index.json` and every shard it names (each must exist), else `model.safetensors`.
    /// Returns the index (nil for a single file) and the weight files' names.
    public static func weightFiles(directory: String) throws -> (index: ShardIndex?, files: [String]) {
        let fm = FileManager.default
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        if fm.fileExists(atPath: path(indexFileName)) {
            let index = try ShardIndex(path: path(indexFileName))
            let shards = Set(index.weightMap.values).sorted()
            guard !shards.isEmpty else {
                throw SafeTensorsError.header(file: path(indexFileName), field: "weight_map", message: "is empty")
            }
            for shard in shards where !fm.fileExists(atPath: path(shard)) {
                throw SafeTensorsError.io(file: path(shard), message: "shard named in \(indexFileName) is missing")
            }
            return (index, shards)
        }
        if fm.fileExists(atPath: path(singleFileName)) { return (nil, [singleFileName]) }
        let all = (try? fm.contentsOfDirectory(atPath: directory)) ?? []
        let hint = all.contains { $0.hasSuffix(".bin") || $0.hasSuffix(".pt") } ? " (PyTorch .bin/.pt weights are not supported)"
            : all.contains { $0.hasSuffix(".safetensors") } ? " (other *.safetensors files need an index)" : ""
        throw SafeTensorsError.io(file: directory, message: "missing \(singleFileName) or \(indexFileName)\(hint)")
    }

    public init(directory: String) throws {
        self.directory = directory
        let (index, names) = try Self.weightFiles(directory: directory)
        var files: [String: SafeTensorsFile] = [:]
        for name in names {
            files[name] = try SafeTensorsFile(path: (directory as NSString).appendingPathComponent(name))
        }
        if let index {
            for (tensor, shard) in index.weightMap.sorted(by: { $0.key < $1.key }) {
                guard let file = files[shard], file.contains(tensor) else {
                    throw SafeTensorsError.missingTensor(file: (directory as NSString).appendingPathComponent(shard), tensor: tensor)
                }
            }
            source = (directory as NSString).appendingPathComponent(Self.indexFileName)
            location = index.weightMap
            indexMetadata = index.metadata
            tensorNames = index.weightMap.keys.sorted()
        } else {
            let file = files[Self.singleFileName]!
            source = (directory as NSString).appendingPathComponent(Self.singleFileName)
            location = Dictionary(uniqueKeysWithValues: file.tensorNames.map { ($0, Self.singleFileName) })
            indexMetadata = [:]
            tensorNames = file.tensorNames
        }
        self.files = files
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
