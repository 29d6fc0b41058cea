import Foundation
import JSON
import Linalg
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming `.safetensors` writer: declare every tensor up front, then append each one's fp32 values (converted
/// to its declared dtype) in any order, then `finish()`. Data goes to a temporary file beside `path` that is renamed
/// over `path` only when complete, so a reader never sees a half-written file.
///
/// The layout is the Python `safetensors` library's: tensors sorted by dtype (F32, BF16, F16) then by name (bytes),
/// compact JSON header padded with spaces to a multiple of 8. For the same tensors (and at most one metadata key,
/// whose order the Python library does not fix) the bytes are identical.
public struct SafeTensorsWriter {
    private let state: WriterState

    public init(path: String, tensors: [TensorInfo], metadata: [String: String]) throws {
        state = try WriterState(path: path, tensors: tensors, metadata: metadata)
    }

    public mutating func append(_ name: String, floats: UnsafeBufferPointer<Float>) throws {
        try state.append(name, floats: floats)
    }

    public mutating func append(_ name: String, floats: [Float]) throws {
        try floats.withUnsafeBufferPointer { try state.append(name, floats: $0) }
    }

    public mutating func finish() throws {
        try state.finish()
    }

    /// Writes a whole file in one call.
    public static func write(path: String, tensors: [(info: TensorInfo, values: [Float])], metadata: [String: String] = [:]) throws {
        var writer = try SafeTensorsWriter(path: path, tensors: tensors.map(\.info), metadata: metadata)
        for t in tensors { try writer.append(t.info.name, floats: t.values) }
        try writer.finish()
    }

    /// The header bytes (length prefix included) and each tensor's data offset, for a set of tensors.
    static func layout(tensors: [TensorInfo], metadata: [String: String]) -> (header: [UInt8], offsets: [String: Int], dataSize: Int) {
        let ordered = tensors.sorted { a, b in
            if a.dtype.layoutRank != b.dtype.layoutRank { return a.dtype.layoutRank > b.dtype.layoutRank }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        var json = "{"
        var first = true
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
                .map { "\(JSONWriter.quote($0)):\(JSONWriter.quote(metadata[$0]!))" }
            json += "\"__metadata__\":{" + pairs.joined(separator: ",") + "}"
            first = false
        }
        var offset = 0
        var offsets: [String: Int] = [:]
        for t in ordered {
            if !first { json += "," }
            first = false
            let shape = t.shape.map(String.init).joined(separator: ",")
            json += "\(JSONWriter.quote(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + t.byteCount)]}"
            offsets[t.name] = offset
            offset += t.byteCount
        }
        json += "}"
        var body = Array(json.utf8)
        body.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - body.count % 8) % 8))
        var header: [UInt8] = []
        withUnsafeBytes(of: UInt64(body.count).littleEndian) { header.append(contentsOf: $0) }
        header.append(contentsOf: body)
        return (header, offsets, offset)
    }
}

private final class WriterState {
    let path: String
    let tempPath: String
    var fd: Int32
    let infos: [String: TensorInfo]
    let offsets: [String: Int]
    let dataStart: Int
    var written = Set<String>()
    var finished = false

    init(path: String, tensors: [TensorInfo], metadata: [String: String]) throws {
        self.path = path
        var infos: [String: TensorInfo] = [:]
        for t in tensors {
            if t.name.isEmpty || t.name == "__metadata__" {
                throw SafeTensorsError.writer(file: path, message: "invalid tensor name '\(t.name)'")
            }
            if t.shape.contains(where: { $0 < 0 }) {
                throw SafeTensorsError.writer(file: path, message: "tensor '\(t.name)': negative dimension in shape \(t.shape)")
            }
            if infos.updateValue(t, forKey: t.name) != nil {
                throw SafeTensorsError.writer(file: path, message: "tensor '\(t.name)' declared twice")
            }
        }
        let layout = SafeTensorsWriter.layout(tensors: tensors, metadata: metadata)
        self.infos = infos
        self.offsets = layout.offsets
        self.dataStart = layout.header.count
        tempPath = path + ".tmp-\(getpid())"
        fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if fd < 0 { throw SafeTensorsError.io(file: tempPath, message: "cannot create: \(String(cString: strerror(errno)))") }
        do {
            if ftruncate(fd, off_t(layout.header.count + layout.dataSize)) != 0 {
                throw SafeTensorsError.io(file: tempPath, message: "cannot size file: \(String(cString: strerror(errno)))")
            }
            try layout.header.withUnsafeBytes { try writeFully($0, at: 0) }
        } catch {
            abandon()
            throw error
        }
    }

    deinit {
        if !finished { abandon() }
    }

    private func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(tempPath)
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw SafeTensorsError.io(file: tempPath, message: "write failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    func append(_ name: String, floats: UnsafeBufferPointer<Float>) throws {
        if finished || fd < 0 { throw SafeTensorsError.writer(file: path, message: "append('\(name)') after finish") }
        guard let info = infos[name], let offset = offsets[name] else {
            throw SafeTensorsError.writer(file: path, message: "tensor '\(name)' was not declared")
        }
        if written.contains(name) { throw SafeTensorsError.writer(file: path, message: "tensor '\(name)' appended twice") }
        if floats.count != info.count {
            throw SafeTensorsError.writer(file: path, message: "tensor '\(name)': \(floats.count) values given, shape \(info.shape) needs \(info.count)")
        }
        if let src = floats.baseAddress {
            let chunk = 1 << 16
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk * 4, alignment: 16)
            defer { buffer.deallocate() }
            var start = 0
            while start < info.count {
                let n = min(chunk, info.count - start)
                switch info.dtype {
                case .f32: Convert.f32ToFloat(UnsafeRawPointer(src + start), buffer.assumingMemoryBound(to: Float.self), count: n)
                case .bf16: Convert.floatToBF16(src + start, buffer, count: n)
                case .f16: Convert.floatToHalf(src + start, buffer, count: n)
                }
                let bytes = n * info.dtype.byteSize
                try writeFully(UnsafeRawBufferPointer(start: buffer, count: bytes), at: dataStart + offset + start * info.dtype.byteSize)
                start += n
            }
        }
        written.insert(name)
    }

    func finish() throws {
        if finished { return }
        if let missing = infos.keys.sorted().first(where: { !written.contains($0) }) {
            throw SafeTensorsError.writer(file: path, message: "finish() before tensor '\(missing)' was appended")
        }
        if fsync(fd) != 0 { throw SafeTensorsError.io(file: tempPath, message: "fsync failed: \(String(cString: strerror(errno)))") }
        close(fd)
        fd = -1
        if rename(tempPath, path) != 0 {
            let message = String(cString: strerror(errno))
            unlink(tempPath)
            finished = true
            throw SafeTensorsError.io(file: path, message: "cannot rename the finished temporary file into place: \(message)")
        }
        finished = true
    }
}
