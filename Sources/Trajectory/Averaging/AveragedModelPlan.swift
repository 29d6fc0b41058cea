import Evaluation
import Foundation

/// Evaluating averaged models without writing them: which checkpoints get an averaged model, the store row of each
/// (kind average, tagged with window, alignment and weights), and its weights in memory.
public final class AveragedModelPlan: @unchecked Sendable {
    public let checkpoints: [Checkpoint]
    public let averaging: CheckpointAveraging
    private var memberFingerprints: [Int: String] = [:]
    private let lock = NSLock()

    /// `checkpoints`: the whole run in step order (members may lie outside the evaluated selection).
    public init(checkpoints: [Checkpoint], window: CheckpointWindow, weights: AveragingWeights = .uniform,
                dtype: AveragingDType? = nil) {
        self.checkpoints = checkpoints.sorted { $0.step < $1.step }
        averaging = CheckpointAveraging(
            checkpoints: self.checkpoints.map { .init(step: $0.step, directory: $0.path) }, window: window,
            weights: weights, dtype: dtype)
    }

    /// The checkpoints (among `selected`, default all) at which a full window exists.
    public func targets(_ selected: [Checkpoint]? = nil) -> [Checkpoint] {
        let defined = Set(averaging.window.definedPositions(count: checkpoints.count).map { checkpoints[$0].step })
        return (selected ?? checkpoints).filter { defined.contains($0.step) }
    }

    public func job(for checkpoint: Checkpoint) throws -> AveragingJob {
        guard let job = try AveragingPlan.jobs(steps: checkpoints.map(\.step), window: averaging.window,
                                               at: [checkpoint.step]).first else {
            throw TrajectoryError.invalidOption(option: "--average-window", value: String(averaging.window.size),
                                                expected: "a window that fits at step \(checkpoint.step)")
        }
        return job
    }

    /// The store row of the averaged model standing for `checkpoint`: its fingerprint hashes the members'
    /// fingerprints and the averaging parameters, so a changed member makes a new row.
    public func modelSpec(for checkpoint: Checkpoint) throws -> ModelSpec {
        let job = try job(for: checkpoint)
        var hasher = SHA256()
        hasher.update("average|\(averaging.window.size)|\(averaging.window.alignment.rawValue)|\(averaging.weights)"
                      + "|\(averaging.dtype?.rawValue ?? "source")")
        for p in job.members { hasher.update("|" + (try fingerprint(p))) }
        return ModelSpec(kind: .average, step: checkpoint.step, window: averaging.window.size,
                         align: averaging.window.alignment.rawValue, weights: averaging.weights.description,
                         members: job.members.map { checkpoints[$0].step }, fingerprint: hasher.finalizeHex())
    }

    /// The averaged model standing for `checkpoint`, as a weight source averaging each tensor on demand (rounded
    /// to the output dtype as on disk): `LlamaModel(config:weights:)` loads it without holding the members.
    public func weights(for checkpoint: Checkpoint) throws -> AveragedWeights {
        try AveragedWeights(plan: averaging, step: checkpoint.step)
    }

    private func fingerprint(_ position: Int) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let known = memberFingerprints[position] { return known }
        let value = try CheckpointFingerprint.compute(checkpoints[position]).fingerprint
        memberFingerprints[position] = value
        return value
    }
}
