import Evaluation
import Foundation

/// What identifies a COMET model folder in a run's settings: `hparams.yaml` whole, and `checkpoints/model.ckpt` by
/// the checkpoint folders' quick rule (its size and three 64 KiB samples: start, middle, end), so a changed model is
/// a different setting without reading gigabytes.
public enum CometFingerprint {
    public static func of(folder: String) throws -> String {
        var hasher = SHA256()
        for file in ["hparams.yaml", "checkpoints/model.ckpt"] {
            let path = (folder as NSString).appendingPathComponent(file)
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw TrajectoryError.missingFile(path: path, what: "COMET model file")
            }
            defer { try? handle.close() }
            let size = try CheckpointFingerprint.size(of: path)
            hasher.update("\(file)\n\(size)\n")
            if file == "hparams.yaml" {
                hasher.update(try CheckpointFingerprint.read(handle, count: size, path: path))
                continue
            }
            for offset in CheckpointFingerprint.sampleOffsets(dataStart: 0, size: size) {
                try handle.seek(toOffset: UInt64(offset))
                hasher.update(try CheckpointFingerprint.read(handle, count: min(CheckpointFingerprint.sampleBytes,
                                                                                 size - offset), path: path))
            }
        }
        return hasher.finalizeHex()
    }
}
