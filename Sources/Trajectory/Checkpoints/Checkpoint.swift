import Foundation

/// One checkpoint of a run: a Hugging Face-style folder (config.json + safetensors) and its training step.
public struct Checkpoint: Sendable, Equatable {
    public var step: Int
    public var path: String
    /// Position in the run's ordered checkpoint list before any selection (0-based).
    public var position: Int
    /// The folder name scheme it was found by, nil for list-file entries.
    public var naming: CheckpointNaming?

    public init(step: Int, path: String, position: Int = 0, naming: CheckpointNaming? = nil) {
        self.step = step; self.path = path; self.position = position; self.naming = naming
    }

    public var name: String { (path as NSString).lastPathComponent }
}
