import Foundation
import Linalg
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
    /// Every tensor's name, sorted.
    var tensorNames: [String] { get }
    /// Used in error messages ("<source>: missing tensor 'x'").
    var sourceDescription: String { get }
    /// `copyFloats` followed by `release`; a memory-mapped source may interleave them.
    func copyFloatsReleasing(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws
    /// Called once a tensor has been converted: a memory-mapped source can drop its pages, so that loading peaks
    /// near the fp32 size instead of fp32 plus the file.
    func release(_ name: String)
    /// The tensor's bytes as stored, when the source can keep them in memory for the model's lifetime (a mapped
    /// file, kept alive by `owner`); nil when it only offers fp32 copies.
    func storedTensor(_ name: String) throws -> StoredTensor?
}

/// A tensor's stored bytes and the object that keeps them valid.
public struct StoredTensor: @unchecked Sendable {
    public let info: TensorInfo
    public let bytes: UnsafeRawBufferPointer
    public let owner: AnyObject
}

extension WeightSource {
    public func contains(_ name: String) -> Bool { (try? info(name)) != nil }
    public var sourceDescription: String { "weights" }
    public func release(_ name: String) {}
    public func storedTensor(_ name: String) throws -> StoredTensor? { nil }
    public func copyFloatsReleasing(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws {
        try copyFloats(name, into: into)
        release(name)
    }
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

    /// Converts in slices and drops each slice's mapped pages right after, so that even the embedding (100 MB of
    /// BF16 for LLM-jp 150m) never sits in memory next to its fp32 copy: loading peaks near the fp32 size.
    public func copyFloatsReleasing(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws {
        let file = try file(containing: name)
        let info = try file.info(name)
        guard info.count == into.count else {
            throw LlamaError.shapeMismatch(name: name, expected: [into.count], found: info.shape)
        }
        let bytes = try file.rawBytes(name)
        guard let src = bytes.baseAddress, let dst = into.baseAddress, info.count > 0 else { return }
        let width = info.dtype.byteSize
        let slice = 1 << 20  // elements
        var start = 0
        while start < info.count {
            let n = min(slice, info.count - start)
            let pieces = Parallel.threadCount
            let per = (n + pieces - 1) / pieces
            parallelFor(0..<pieces) { p in
                let lo = start + p * per, hi = min(start + n, lo + per)
                guard lo < hi else { return }
                switch info.dtype {
                case .f32: Convert.f32ToFloat(src + lo * width, dst + lo, count: hi - lo)
                case .bf16: Convert.bf16ToFloat(src + lo * width, dst + lo, count: hi - lo)
                case .f16: Convert.halfToFloat(src + lo * width, dst + lo, count: hi - lo)
                }
            }
            dropPages(src + start * width, byteCount: n * width)
            start += n
        }
    }

    /// The tensor where it lies in its shard's read-only mapping (the file object keeps the mapping alive).
    public func storedTensor(_ name: String) throws -> StoredTensor? {
        let file = try file(containing: name)
        return StoredTensor(info: try file.info(name), bytes: try file.rawBytes(name), owner: file)
    }

    public func release(_ name: String) {
        guard let bytes = try? file(containing: name).rawBytes(name), let base = bytes.baseAddress else { return }
        dropPages(base, byteCount: bytes.count)
    }
}

/// Drops the whole pages inside a read-only file mapping range from this process's memory (re-read from the file
/// if touched again).
private func dropPages(_ base: UnsafeRawPointer, byteCount: Int) {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = (Int(bitPattern: base) + page - 1) / page * page
    let end = (Int(bitPattern: base) + byteCount) / page * page
    guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(p, end - start, Int32(MADV_DONTNEED))
}

/// Maps a range of the file into this process before the first forward pass, so that pass does not fault the
/// weights in page by page (6.5% of a 512-token prefill of the 150m shape went to page faults): `MADV_POPULATE_READ`
/// (Linux 5.14) reads and maps the pages now, as llama.cpp's `MAP_POPULATE` does; older kernels refuse it, and
/// `MADV_WILLNEED` then at least starts reading in the background.
func prefetch(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = Int(bitPattern: base) / page * page
    guard let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
    let length = Int(bitPattern: base) + bytes.count - start
    let populateRead: Int32 = 22  // MADV_POPULATE_READ, not in every libc's headers
    if madvise(p, length, populateRead) != 0 { _ = madvise(p, length, Int32(MADV_WILLNEED)) }
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
    public var tensorNames: [String] { tensors.keys.sorted() }
    public var sourceDescription: String { "in-memory weights" }
}
