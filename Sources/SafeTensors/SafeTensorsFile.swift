import Foundation
import JSON
import Linalg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One memory-mapped `.safetensors` file whose header has been fully validated (see the spec §4.1): every tensor
/// lies inside the data buffer, tensors neither overlap nor leave gaps, and each byte length matches its shape.
public final class SafeTensorsFile: @unchecked Sendable {
    public static let maxHeaderSize = 100_000_000

    struct Entry {
        let info: TensorInfo
        let begin: Int
        let end: Int
    }

    public let path: String
    public let tensorNames: [String]
    public let metadata: [String: String]
    let entries: [String: Entry]
    private let mapping: UnsafeMutableRawPointer?
    private let mappedLength: Int
    private let dataStart: Int

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw SafeTensorsError.io(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) != 0 { throw SafeTensorsError.io(file: path, message: "cannot stat: \(String(cString: strerror(errno)))") }
        if (st.st_mode & S_IFMT) != S_IFREG { throw SafeTensorsError.io(file: path, message: "not a regular file") }
        let size = Int(st.st_size)
        if size < 8 {
            throw SafeTensorsError.truncated(file: path, message: "\(size) bytes, shorter than the 8-byte header length")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw SafeTensorsError.io(file: path, message: "cannot mmap: \(String(cString: strerror(errno)))")
        }
        mapping = base
        mappedLength = size
        do {
            let parsed = try Self.parseHeader(UnsafeRawBufferPointer(start: base, count: size), path: path)
            entries = parsed.entries
            metadata = parsed.metadata
            dataStart = parsed.dataStart
            tensorNames = parsed.entries.keys.sorted()
        } catch {
            munmap(base, size)
            throw error
        }
    }

    deinit {
        if let mapping { munmap(mapping, mappedLength) }
    }

    public func info(_ name: String) throws -> TensorInfo {
        guard let e = entries[name] else { throw SafeTensorsError.missingTensor(file: path, tensor: name) }
        return e.info
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The tensor's stored bytes (little-endian, row-major), valid while this object lives.
    public func rawBytes(_ name: String) throws -> UnsafeRawBufferPointer {
        guard let e = entries[name], let mapping else { throw SafeTensorsError.missingTensor(file: path, tensor: name) }
        return UnsafeRawBufferPointer(start: mapping + dataStart + e.begin, count: e.end - e.begin)
    }

    public func floats(_ name: String) throws -> [Float] {
        let info = try info(name)
        return try [Float](unsafeUninitializedCapacity: info.count) { buffer, initialized in
            try copyFloats(name, into: buffer)
            initialized = info.count
        }
    }

    /// Converts the tensor to fp32 into `into`, which must hold exactly its element count.
    public func copyFloats(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws {
        let info = try info(name)
        guard into.count == info.count else {
            throw SafeTensorsError.writer(file: path, message: "tensor '\(name)': destination holds \(into.count) floats, tensor has \(info.count)")
        }
        guard info.count > 0, let dst = into.baseAddress else { return }
        let src = try rawBytes(name)
        guard let srcBase = src.baseAddress else { return }
        // Large tensors convert in parallel: a 100M-element embedding is otherwise a noticeable load time.
        let pieces = info.count >= 1 << 20 ? Parallel.threadCount * 4 : 1
        let per = (info.count + pieces - 1) / pieces
        parallelFor(0..<pieces) { p in
            let lo = p * per, hi = min(info.count, lo + per)
            guard lo < hi else { return }
            let s = srcBase + lo * info.dtype.byteSize
            switch info.dtype {
            case .f32: Convert.f32ToFloat(s, dst + lo, count: hi - lo)
            case .bf16: Convert.bf16ToFloat(s, dst + lo, count: hi - lo)
            case .f16: Convert.halfToFloat(s, dst + lo, count: hi - lo)
            }
        }
    }

    // MARK: - Header validation

    struct ParsedHeader {
        var entries: [String: Entry]
        var metadata: [String: String]
        var dataStart: Int
    }

    static func parseHeader(_ file: UnsafeRawBufferPointer, path: String) throws -> ParsedHeader {
        let n = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        if n > UInt64(maxHeaderSize) {
            throw SafeTensorsError.header(file: path, field: "header length", message: "\(n) bytes exceeds the limit of \(maxHeaderSize)")
        }
        let headerLength = Int(n)
        if 8 + headerLength > file.count {
            throw SafeTensorsError.truncated(file: path, message: "header length \(headerLength) runs past the end of the \(file.count)-byte file")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: file[8..<(8 + headerLength)]), file: path,
                                        options: .safetensors)
        } catch {
            throw SafeTensorsError.header(file: path, field: "header", message: error.message)
        }
        guard case .object(let members) = json else {
            throw SafeTensorsError.header(file: path, field: "header", message: "expected a JSON object, found \(json.typeName)")
        }
        let dataStart = 8 + headerLength
        let dataSize = file.count - dataStart
        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (key, value) in members {
            if key == "__metadata__" {
                guard case .object(let pairs) = value else {
                    throw SafeTensorsError.header(file: path, field: "__metadata__", message: "expected an object of strings, found \(value.typeName)")
                }
                for (k, v) in pairs {
                    guard case .string(let s) = v else {
                        throw SafeTensorsError.header(file: path, field: "__metadata__.\(k)", message: "expected a string, found \(v.typeName)")
                    }
                    metadata[k] = s
                }
                continue
            }
            entries[key] = try parseEntry(name: key, value, path: path, dataSize: dataSize)
        }
        try checkCoverage(entries, path: path, dataSize: dataSize)
        return ParsedHeader(entries: entries, metadata: metadata, dataStart: dataStart)
    }

    private static func parseEntry(name: String, _ value: JSONValue, path: String, dataSize: Int) throws -> Entry {
        func bad(_ field: String, _ message: String) -> SafeTensorsError {
            .header(file: path, field: "tensor '\(name)' \(field)", message: message)
        }
        guard case .object(let fields) = value else { throw bad("entry", "expected an object, found \(value.typeName)") }
        var dtypeName: String?, shapeValue: JSONValue?, offsetsValue: JSONValue?
        for (k, v) in fields {
            switch k {
            case "dtype":
                guard case .string(let s) = v else { throw bad("dtype", "expected a string, found \(v.typeName)") }
                dtypeName = s
            case "shape": shapeValue = v
            case "data_offsets": offsetsValue = v
            default: break
            }
        }
        guard let dtypeName else { throw bad("dtype", "missing") }
        guard let shapeValue else { throw bad("shape", "missing") }
        guard let offsetsValue else { throw bad("data_offsets", "missing") }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw SafeTensorsError.unsupportedDType(file: path, tensor: name, dtype: dtypeName)
        }
        guard case .array(let dims) = shapeValue else { throw bad("shape", "expected an array, found \(shapeValue.typeName)") }
        var shape: [Int] = []
        var count = 1
        for d in dims {
            guard let v = d.exactNonNegativeInt else { throw bad("shape", "dimensions must be non-negative integers") }
            shape.append(v)
            let (p, overflow) = count.multipliedReportingOverflow(by: v)
            if overflow { throw bad("shape", "element count overflows") }
            count = p
        }
        guard case .array(let offs) = offsetsValue, offs.count == 2,
              let begin = offs[0].exactNonNegativeInt, let end = offs[1].exactNonNegativeInt else {
            throw bad("data_offsets", "expected [begin, end] of two non-negative integers")
        }
        if begin > end { throw bad("data_offsets", "begin \(begin) is after end \(end)") }
        if end > dataSize { throw bad("data_offsets", "[\(begin), \(end)] runs past the end of the \(dataSize)-byte data buffer") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        if overflow || bytes != end - begin {
            throw bad("data_offsets", "\(end - begin) bytes, but shape \(shape) of \(dtypeName) needs \(overflow ? "too many" : String(bytes))")
        }
        return Entry(info: TensorInfo(name: name, dtype: dtype, shape: shape), begin: begin, end: end)
    }

    /// Sorted by offset, tensors must tile the data buffer exactly: no overlap, no gap, nothing after the last.
    private static func checkCoverage(_ entries: [String: Entry], path: String, dataSize: Int) throws {
        let sorted = entries.values.sorted { ($0.begin, $0.end, $0.info.name) < ($1.begin, $1.end, $1.info.name) }
        var previous: Entry?
        var position = 0
        for e in sorted {
            if e.begin < position, let p = previous {
                throw SafeTensorsError.header(file: path, field: "tensor '\(e.info.name)' data_offsets",
                                              message: "[\(e.begin), \(e.end)] overlaps tensor '\(p.info.name)' [\(p.begin), \(p.end)]")
            }
            if e.begin > position {
                throw SafeTensorsError.header(file: path, field: "tensor '\(e.info.name)' data_offsets",
                                              message: "gap: begins at \(e.begin), previous tensor ends at \(position)")
            }
            position = e.end
            previous = e
        }
        if position != dataSize {
            throw SafeTensorsError.header(file: path, field: "data_offsets",
                                          message: "tensors cover \(position) bytes but the data buffer has \(dataSize)")
        }
    }
}
