import Foundation

/// Writes one output file, failing with one line naming it: a regular file whole or not at all (temp file + rename),
/// anything else (`/dev/null`, `/dev/stdout`, a FIFO) straight into it, where a rename would replace the device node.
public enum OutputFile {
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws {
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        let atomic = type == nil || type == .typeRegular
        do { try data.write(to: URL(fileURLWithPath: path), options: atomic ? .atomic : []) } catch {
            throw TrajectoryError.output(path: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }
}
