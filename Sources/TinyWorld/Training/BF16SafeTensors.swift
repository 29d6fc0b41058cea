import Foundation
import SafeTensors

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

/// Writes one `.safetensors` file holding every tensor in BF16 (spec §4.1) through engine-io's streaming writer
/// (temporary file, then rename).
func writeBF16SafeTensors(path: String, tensors: [(name: String, shape: [Int], values: UnsafeBufferPointer<Float>)],
                          metadata: [String: String]) throws {
    do {
        var writer = try SafeTensorsWriter(path: path, tensors: tensors.map {
            TensorInfo(name: $0.name, dtype: .bf16, shape: $0.shape)
        }, metadata: metadata)
        for t in tensors { try writer.append(t.name, floats: t.values) }
        try writer.finish()
    } catch {
        throw TrainingError.writeFailed(path: path, reason: "\(error)")
    }
}
