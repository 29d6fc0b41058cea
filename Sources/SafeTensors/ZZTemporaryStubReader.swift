// TEMPORARY (engine-model branch only): a minimal reader so the Llama layer can be tested before the real
// SafeTensors target lands from engine-io. Deleted at the merge; never landed on main.
import Foundation

public enum DType: String, Sendable { case f32 = "F32", f16 = "F16", bf16 = "BF16" }
public struct TensorInfo: Sendable, Equatable {
    public let name: String; public let dtype: DType; public let shape: [Int]
    public init(name: String, dtype: DType, shape: [Int]) { self.name = name; self.dtype = dtype; self.shape = shape }
}
public struct StubError: Error, CustomStringConvertible { public let description: String }

public final class WeightStore: @unchecked Sendable {
    private var entries: [String: (TensorInfo, Data, Int)] = [:]
    public init(directory: String) throws {
        let fm = FileManager.default
        let index = directory + "/model.safetensors.index.json"
        var files: [String] = []
        if fm.fileExists(atPath: index) {
            let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: index))) as? [String: Any]
            let map = obj?["weight_map"] as? [String: String] ?? [:]
            files = Array(Set(map.values)).sorted()
        } else { files = ["model.safetensors"] }
        for f in files {
            let path = directory + "/" + f
            guard let data = fm.contents(atPath: path) else { throw StubError(description: "\(path): cannot read") }
            let n = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + Int(n)))) as? [String: Any] ?? [:]
            for (k, v) in header where k != "__metadata__" {
                guard let d = v as? [String: Any], let dt = DType(rawValue: d["dtype"] as? String ?? ""),
                      let shape = d["shape"] as? [Int], let off = d["data_offsets"] as? [Int] else {
                    throw StubError(description: "\(path): bad entry \(k)")
                }
                entries[k] = (TensorInfo(name: k, dtype: dt, shape: shape), data, 8 + Int(n) + off[0])
            }
        }
    }
    public var tensorNames: [String] { entries.keys.sorted() }
    public func info(_ name: String) throws -> TensorInfo {
        guard let e = entries[name] else { throw StubError(description: "missing tensor \(name)") }
        return e.0
    }
    public func floats(_ name: String) throws -> [Float] {
        guard let (info, data, start) = entries[name] else { throw StubError(description: "missing tensor \(name)") }
        let count = info.shape.reduce(1, *)
        return data.withUnsafeBytes { raw -> [Float] in
            (0..<count).map { i -> Float in
                switch info.dtype {
                case .f32: return raw.loadUnaligned(fromByteOffset: start + 4 * i, as: Float.self)
                case .bf16: return Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self)) << 16)
                case .f16: return Float(Float16(bitPattern: raw.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self)))
                }
            }
        }
    }
}
