import Foundation
import Linalg

/// The weights of a PyTorch checkpoint written by `torch.save` (zip format): a Lightning `model.ckpt`, whose
/// `state_dict` entry holds them, or a plain state dict such as a legacy `pytorch_model.bin`.
/// The pickle is read by `RestrictedUnpickler`, so loading a file never runs code from it.
public final class TorchCheckpoint: @unchecked Sendable {
    public let path: String
    /// The whole unpickled object (for Lightning, also `epoch`, `hyper_parameters`, ...).
    public let root: PickleValue
    /// Tensor names in the order the state dict holds them.
    public let tensorNames: [String]
    private let records: [String: TensorRecord]
    private let archive: StoredZip
    private let prefix: String

    public init(path: String) throws {
        self.path = path
        archive = try StoredZip(path: path)
        guard let pickleName = archive.names.first(where: { $0.hasSuffix("/data.pkl") && $0.split(separator: "/").count == 2 }),
              let pickle = archive.bytes(pickleName) else {
            throw TorchCheckpointError.zip(file: path, message: "no <archive>/data.pkl entry: not a torch.save checkpoint")
        }
        prefix = String(pickleName.dropLast("data.pkl".count))
        if let order = archive.bytes(prefix + "byteorder"), String(decoding: order, as: UTF8.self) != "little" {
            throw TorchCheckpointError.zip(file: path, message: "big-endian storages are not read")
        }
        var unpickler = RestrictedUnpickler(file: path, bytes: Array(pickle))
        root = try unpickler.load()
        guard let top = root.dictValue else {
            throw TorchCheckpointError.pickle(file: path, message: "top level is a \(root.kind), not a dict")
        }
        let stateDict: PickleDict
        if let inner = top["state_dict"] {
            guard let d = inner.dictValue else {
                throw TorchCheckpointError.pickle(file: path, message: "'state_dict' is a \(inner.kind), not a dict")
            }
            stateDict = d
        } else {
            stateDict = top
        }
        var names: [String] = [], records: [String: TensorRecord] = [:]
        for (k, v) in zip(stateDict.keys, stateDict.values) {
            guard let name = k.stringValue, case .tensor(let t) = v else { continue }
            names.append(name)
            records[name] = t
        }
        tensorNames = names
        self.records = records
    }

    public func contains(_ name: String) -> Bool { records[name] != nil }

    public func record(_ name: String) throws -> TensorRecord {
        guard let r = records[name] else { throw TorchCheckpointError.tensor(file: path, name: name, message: "not in the checkpoint") }
        return r
    }

    public func shape(_ name: String) throws -> [Int] { try record(name).shape }

    /// The tensor's elements in row-major order, converted to fp32 (strides and storage offset applied).
    public func floats(_ name: String) throws -> [Float] {
        let r = try record(name)
        let fail = { (m: String) in TorchCheckpointError.tensor(file: self.path, name: name, message: m) }
        guard r.shape.allSatisfy({ $0 >= 0 }), r.strides.allSatisfy({ $0 >= 0 }), r.offset >= 0 else {
            throw fail("negative shape, stride or offset")
        }
        let count = r.shape.reduce(1, *)
        var last = r.offset
        for (n, s) in zip(r.shape, r.strides) where n > 0 { last += (n - 1) * s }
        guard count == 0 || last < r.storage.count else { throw fail("view runs past its storage of \(r.storage.count) elements") }
        let entry = prefix + "data/" + r.storage.key
        guard let range = archive.entries[entry] else { throw fail("storage entry '\(entry)' is missing") }
        let size = r.storage.dtype.byteSize
        guard range.count >= r.storage.count * size else { throw fail("storage '\(entry)' is shorter than \(r.storage.count) elements") }
        var out = [Float](repeating: 0, count: count)
        if count == 0 { return out }
        archive.data.withUnsafeBytes { whole in
            let raw = UnsafeRawBufferPointer(rebasing: whole[(range.lowerBound - archive.data.startIndex)..<(range.upperBound - archive.data.startIndex)])
            out.withUnsafeMutableBufferPointer { dst in
                if Self.isContiguous(r), let bulk = Self.bulkConverter(r.storage.dtype) {
                    bulk(raw.baseAddress! + r.offset * size, dst.baseAddress!, count)
                    return
                }
                var index = [Int](repeating: 0, count: r.shape.count)
                var element = r.offset
                for i in 0..<count {
                    dst[i] = Self.element(raw, element, r.storage.dtype)
                    // Advance the multi-index, last dimension fastest.
                    var d = r.shape.count - 1
                    while d >= 0 {
                        index[d] += 1
                        element += r.strides[d]
                        if index[d] < r.shape[d] { break }
                        element -= index[d] * r.strides[d]
                        index[d] = 0
                        d -= 1
                    }
                }
            }
        }
        return out
    }

    /// Row-major without gaps: the common case, converted in one pass.
    private static func isContiguous(_ r: TensorRecord) -> Bool {
        var expected = 1
        for (n, stride) in zip(r.shape, r.strides).reversed() where n != 1 {
            if stride != expected { return false }
            expected *= n
        }
        return true
    }

    private static func bulkConverter(_ dtype: TorchDType) -> ((UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void)? {
        switch dtype {
        case .float32: return Convert.f32ToFloat
        case .float16: return Convert.halfToFloat
        case .bfloat16: return Convert.bf16ToFloat
        default: return nil
        }
    }

    private static func element(_ raw: UnsafeRawBufferPointer, _ i: Int, _ dtype: TorchDType) -> Float {
        switch dtype {
        case .float32: return raw.loadUnaligned(fromByteOffset: i * 4, as: Float.self)
        case .float16: return halfToFloat(raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
        case .bfloat16: return bf16ToFloat(raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
        case .float64: return Float(raw.loadUnaligned(fromByteOffset: i * 8, as: Double.self))
        case .int64: return Float(raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
        case .int32: return Float(raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
        case .int16: return Float(raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))
        case .int8: return Float(raw.loadUnaligned(fromByteOffset: i, as: Int8.self))
        case .uint8, .bool: return Float(raw[i])
        }
    }
}
