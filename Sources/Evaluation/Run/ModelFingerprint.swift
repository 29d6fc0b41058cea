import Foundation

/// A cheap, stable fingerprint of a checkpoint folder: SHA-256 over config.json and, per `*.safetensors` file
/// (sorted), its name, size, JSON header and 64 evenly spaced 4 KiB samples of the tensor data.
public enum ModelFingerprint {
    public static func compute(directory: String) throws -> String {
        let fm = FileManager.default
        var material = Data()
        let config = (directory as NSString).appendingPathComponent("config.json")
        guard let configData = fm.contents(atPath: config) else {
            throw EvaluationError.fileNotFound(path: config, what: "model config")
        }
        material.append(configData)
        let files = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".safetensors") }.sorted()
        for name in files {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw EvaluationError.fileNotFound(path: path, what: "readable weights file")
            }
            defer { try? handle.close() }
            let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            material.append(Data("\(name)\u{0}\(size)\u{0}".utf8))
            let headerEnd = min(size, 8 + Int(readLength(handle)))
            try handle.seek(toOffset: 0)
            material.append(handle.readData(ofLength: max(0, headerEnd)))
            let span = size - headerEnd
            if span > 0 {
                for k in 0..<64 {
                    try handle.seek(toOffset: UInt64(headerEnd + span / 64 * k))
                    material.append(handle.readData(ofLength: 4096))
                }
            }
        }
        return SHA256.hex(material)
    }

    private static func readLength(_ handle: FileHandle) -> UInt64 {
        let bytes = handle.readData(ofLength: 8)
        guard bytes.count == 8 else { return 0 }
        return bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }
}
