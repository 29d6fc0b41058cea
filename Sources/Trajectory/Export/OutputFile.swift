import Foundation

/// Writes one output file whole (atomically), failing with one line naming it.
public enum OutputFile {
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw TrajectoryError.output(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}
