import Foundation
import SafeTensors

/// Where a model's tensors come from: a checkpoint folder (`WeightStore`) or tensors already in memory.
public protocol WeightSource {
    /// The tensor converted to fp32, row-major. Throws when the tensor is absent.
    func floats(_ name: String) throws -> [Float]
    /// Name, storage dtype and shape. Throws when the tensor is absent.
    func info(_ name: String) throws -> TensorInfo
    /// Converts the tensor to fp32 straight into `into` (exactly its element count), without an extra array.
    func copyFloats(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws
    /// Whether the tensor exists (used for the optional `lm_head.weight` of tied checkpoints).
    func contains(_ name: String) -> Bool
    /// Used in error messages ("<source>: missing tensor 'x'").
    var sourceDescription: String { get }
    /// Called once a tensor has been converted: a memory-mapped source can drop its pages, so that loading peaks
    /// near the fp32 size instead of fp32 plus the file.
    func release(_ name: String)
}

extension WeightSource {
    public func contains(_ name: String) -> Bool { (try? info(name)) != nil }
    public var sourceDescription: String { "weights" }
    public func release(_ name: String) {}
    public func copyFloats(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws {
        let values = try floats(name)
        guard values.count == into.count else {
            throw LlamaError.invalidRequest("tensor '\(name)': \(values.count) values, expected \(into.count)")
        }
        _ = into.update(fromContentsOf: values)
    }
}

extension WeightStore: WeightSource {
    public var sourceDescription: String { source }

    public func release(_ name: String) {
        guard let bytes = try? file(containing: name).rawBytes(name), let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + bytes.count) / page * page
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        // The mapping is read-only: dropped pages are simply re-read from the file if touched again.
        _ = madvise(p, end - start, Int32(MADV_DONTNEED))
    }
}

/// Tensors held in memory, e.g. averaged weights evaluated without writing them to disk.
public struct InMemoryWeights: WeightSource, Sendable {
    public private(set) var tensors: [String: (TensorInfo, [Float])]

    public init(_ tensors: [String: (TensorInfo, [Float])]) {
        self.tensors = tensors
    }

    /// Tensors given by name and shape, in fp32.
    public init(shapes: [String: ([Int], [Float])]) {
        var t: [String: (TensorInfo, [Float])] = [:]
        for (name, (shape, values)) in shapes { t[name] = (TensorInfo(name: name, dtype: .f32, shape: shape), values) }
        self.tensors = t
    }

    public mutating func set(_ name: String, shape: [Int], values: [Float]) {
        tensors[name] = (TensorInfo(name: name, dtype: .f32, shape: shape), values)
    }

    public func info(_ name: String) throws -> TensorInfo {
        guard let t = tensors[name] else { throw LlamaError.missingTensor(name: name, source: sourceDescription) }
        return t.0
    }

    public func floats(_ name: String) throws -> [Float] {
        guard let t = tensors[name] else { throw LlamaError.missingTensor(name: name, source: sourceDescription) }
        let expected = t.0.shape.reduce(1, *)
        guard t.1.count == expected else {
            throw LlamaError.invalidRequest("in-memory tensor '\(name)': \(t.1.count) values for shape \(t.0.shape)")
        }
        return t.1
    }

    public func contains(_ name: String) -> Bool { tensors[name] != nil }
    public var sourceDescription: String { "in-memory weights" }
}
