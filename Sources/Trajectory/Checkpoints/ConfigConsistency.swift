import Foundation
import JSON

/// All checkpoints of a run must describe the same model architecture.
public enum ConfigConsistency {
    /// config.json keys that vary between checkpoints of one run without changing the model.
    public static let ignoredKeys: Set<String> = [
        "_name_or_path", "transformers_version", "torch_dtype", "dtype", "use_cache", "_commit_hash",
    ]

    /// Throws `configMismatch` naming the first differing key (in key order) between `reference` and `other`.
    public static func check(_ other: CheckpointFingerprint, at path: String,
                             against reference: CheckpointFingerprint, at referencePath: String) throws {
        try check(other.config, at: path, against: reference.config, at: referencePath)
    }

    /// The same check on parsed config.json fields.
    static func check(_ other: [String: JSONValue], at path: String,
                      against reference: [String: JSONValue], at referencePath: String) throws {
        let keys = Set(reference.keys).union(other.keys).subtracting(ignoredKeys).sorted()
        for key in keys where reference[key] != other[key] {
            throw TrajectoryError.configMismatch(
                path: path, reference: referencePath, field: key,
                expected: reference[key]?.description ?? "absent", found: other[key]?.description ?? "absent")
        }
    }

    /// Fingerprints every checkpoint (in order) and checks their configs against the first.
    public static func fingerprintAll(_ checkpoints: [Checkpoint], verify: Bool = false) throws -> [CheckpointFingerprint] {
        var result: [CheckpointFingerprint] = []
        for checkpoint in checkpoints {
            let fingerprint = try CheckpointFingerprint.compute(checkpoint, verify: verify)
            if let first = result.first, let firstPath = checkpoints.first?.path {
                try check(fingerprint, at: checkpoint.path, against: first, at: firstPath)
            }
            result.append(fingerprint)
        }
        return result
    }
}
