import Foundation
import Testing
@testable import SafeTensors
import TestSupport

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

/// A fresh empty folder for one test; the caller removes it (a `defer` right after this call).
func scratchDirectory(_ name: String = #function) -> String {
    let clean = name.filter { $0.isLetter || $0.isNumber }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kasane-st-\(clean)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A raw safetensors file: 8-byte length, the header text verbatim, `dataBytes` zero bytes.
@discardableResult
func writeRaw(_ path: String, header: String, dataBytes: Int, declaredLength: UInt64? = nil) -> String {
    var bytes: [UInt8] = []
    let h = Array(header.utf8)
    withUnsafeBytes(of: (declaredLength ?? UInt64(h.count)).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: h)
    bytes.append(contentsOf: [UInt8](repeating: 0, count: dataBytes))
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

/// mixed.json, written by tools/make_safetensors_fixtures.py with the Python safetensors library.
struct GoldenTensor {
    let name: String
    let dtype: DType
    let shape: [Int]
    let source: [Float]
    let stored: [Float]
}

func loadGolden() throws -> (tensors: [GoldenTensor], metadata: [String: String]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/mixed.json"))
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
          let tensors = root["tensors"] as? [String: [String: Any]],
          let metadata = root["metadata"] as? [String: String] else {
        throw CocoaError(.fileReadCorruptFile)
    }
    func floats(_ any: Any?) -> [Float] { ((any as? [NSNumber]) ?? []).map { Float(bitPattern: $0.uint32Value) } }
    let result = try tensors.keys.sorted().map { name -> GoldenTensor in
        let t = tensors[name]!
        guard let dtypeName = t["dtype"] as? String, let dtype = DType(rawValue: dtypeName),
              let shape = t["shape"] as? [Int] else { throw CocoaError(.fileReadCorruptFile) }
        return GoldenTensor(name: name, dtype: dtype, shape: shape, source: floats(t["source_bits"]), stored: floats(t["stored_bits"]))
    }
    return (result, metadata)
}

func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}
