import Foundation
import SafeTensors

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
        throw TinyWorldError.writeFailed(path: path, reason: "\(error)")
    }
}
