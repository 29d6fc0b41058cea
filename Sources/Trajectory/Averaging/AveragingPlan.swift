/// One averaged model to produce: the position it stands for and its window members.
public struct AveragingJob: Sendable, Equatable {
    /// Index of the represented checkpoint among the ordered inputs.
    public var position: Int
    public var step: Int
    /// Contiguous member positions, oldest first.
    public var members: Range<Int>
}

public enum AveragingPlan {
    /// Jobs for the requested steps (nil = every position where the window is defined), in position order.
    public static func jobs(steps: [Int], window: CheckpointWindow, at wanted: [Int]?) throws -> [AveragingJob] {
        guard window.size >= 1 else {
            throw TrajectoryError.invalidOption(option: "--window", value: String(window.size), expected: "n ≥ 1")
        }
        var positions: [Int]
        if let wanted {
            positions = []
            for step in wanted {
                guard let p = steps.firstIndex(of: step) else {
                    throw TrajectoryError.invalidOption(option: "--at", value: String(step),
                                                        expected: "a step of one of the checkpoints")
                }
                guard window.members(at: p, count: steps.count) != nil else {
                    throw TrajectoryError.invalidOption(
                        option: "--at", value: String(step),
                        expected: "a step with a full \(window.alignment.rawValue) window of \(window.size)")
                }
                positions.append(p)
            }
            positions = Array(Set(positions)).sorted()
        } else {
            positions = window.definedPositions(count: steps.count)
        }
        return positions.compactMap { p in
            window.members(at: p, count: steps.count).map { AveragingJob(position: p, step: steps[p], members: $0) }
        }
    }
}
