import Foundation

/// fp32 → bf16 bits with round-to-nearest-even; NaN stays a quiet NaN.
@inline(__always)
func bf16Bits(_ x: Float) -> UInt16 {
    let bits = x.bitPattern
    if x.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
    return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
}

/// The value a bf16 checkpoint stores for `x`.
@inline(__always)
public func roundedToBF16(_ x: Float) -> Float { Float(bitPattern: UInt32(bf16Bits(x)) << 16) }

/// Writes one `.safetensors` file holding every tensor in BF16 (spec §4.1). A minimal local writer, kept behind this
/// one function so that engine-io's `SafeTensorsWriter` can replace it without touching callers.
func writeBF16SafeTensors(path: String, tensors: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)],
                          metadata: [String: String]) throws {
    var entries: [String] = []
    var offset = 0
    func quoted(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data()
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
    let meta = metadata.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(quoted($0.value))" }
    entries.append("\"__metadata__\":{" + meta.joined(separator: ",") + "}")
    for t in tensors {
        let bytes = t.values.count * 2
        entries.append("\(quoted(t.name)):{\"dtype\":\"BF16\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],"
                       + "\"data_offsets\":[\(offset),\(offset + bytes)]}")
        offset += bytes
    }
    var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

    var out = Data(capacity: 8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: header)
    var chunk = [UInt16](repeating: 0, count: 1 << 16)
    for t in tensors {
        var start = 0
        while start < t.values.count {
            let n = min(chunk.count, t.values.count - start)
            for i in 0..<n { chunk[i] = bf16Bits(t.values[start + i]).littleEndian }
            chunk.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<(n * 2)])) }
            start += n
        }
    }
    do { try out.write(to: URL(fileURLWithPath: path)) } catch {
        throw TrainingError.writeFailed(path: path, reason: "\(error.localizedDescription)")
    }
}
