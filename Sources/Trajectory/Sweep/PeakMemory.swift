import Foundation

/// The process's peak resident memory (Linux: VmHWM of /proc/self/status), resettable so that each model's
/// evaluation gets its own peak (writing 5 to /proc/self/clear_refs resets VmHWM to the current RSS).
public enum PeakMemory {
    public static func reset() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5".utf8))
        try? handle.close()
    }

    /// Bytes, or nil where the kernel does not report it.
    public static func peak() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        let kb = line.split(separator: " ").compactMap { Int($0) }.first
        return kb.map { $0 * 1024 }
    }
}
