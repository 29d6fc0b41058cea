#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the CPU offers, as far as choosing OpenBLAS kernels is concerned.
public struct CPUFeatures: Sendable, Equatable {
    public var modelName: String
    public var vendor: String
    public var flags: Set<String>

    public init(modelName: String, vendor: String, flags: Set<String>) {
        self.modelName = modelName
        self.vendor = vendor
        self.flags = flags
    }

    public var hasAVX512F: Bool { flags.contains("avx512f") }
    public var hasAVX2FMA: Bool { flags.contains("avx2") && flags.contains("fma") }
    public var isAMD: Bool { vendor == "AuthenticAMD" }

    /// The features of interest, in a fixed order, for `kasane doctor`.
    public var summary: [String] {
        ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_bf16", "amx_tile", "neon", "asimd"]
            .filter { flags.contains($0) }
    }

    /// Parses the text of /proc/cpuinfo (the first processor block is enough: all cores are alike).
    public static func parse(cpuinfo text: String) -> CPUFeatures {
        var model = "", vendor = "", flags = Set<String>()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty, !flags.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: " \t")
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            switch key {
            case "model name": if model.isEmpty { model = value }
            case "vendor_id": if vendor.isEmpty { vendor = value }
            case "flags", "Features": if flags.isEmpty { flags = Set(value.split(separator: " ").map(String.init)) }
            default: break
            }
        }
        return CPUFeatures(modelName: model.isEmpty ? "unknown" : model, vendor: vendor, flags: flags)
    }

    /// The features of the machine we run on (Linux: /proc/cpuinfo; elsewhere: empty, so nothing is changed).
    public static let current: CPUFeatures = {
        guard let text = readSmallFile("/proc/cpuinfo") else {
            return CPUFeatures(modelName: "unknown", vendor: "", flags: [])
        }
        return parse(cpuinfo: text)
    }()
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

/// Reads a small text file (procfs files report size 0, so read until EOF).
func readSmallFile(_ path: String) -> String? {
    guard let f = fopen(path, "r") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
        if bytes.count > 16 << 20 { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}
