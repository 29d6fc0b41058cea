import Foundation

/// How the members of an averaging window are weighted (spec §7; EMA and linear are extensions).
public enum AveragingWeights: Sendable, Equatable, CustomStringConvertible {
    /// w = 1/n
    case uniform
    /// w ∝ 1, 2, …, n from the oldest member to the newest.
    case linear
    /// w ∝ α(1−α)^age, age 0 for the newest member, renormalized over the window.
    case ema(Double)

    public init(parsing text: String) throws {
        let lower = text.lowercased()
        if lower == "uniform" { self = .uniform; return }
        if lower == "linear" { self = .linear; return }
        if lower.hasPrefix("ema:"), let alpha = Double(lower.dropFirst(4)), alpha > 0, alpha <= 1 {
            self = .ema(alpha)
            return
        }
        throw TrajectoryError.invalidOption(option: "--weights", value: text,
                                            expected: "uniform, linear or ema:α with 0 < α ≤ 1")
    }

    public var description: String {
        switch self {
        case .uniform: return "uniform"
        case .linear: return "linear"
        case let .ema(alpha): return "ema:\(alpha)"
        }
    }

    /// Normalized weights of `count` members, oldest first.
    public func weights(count: Int) -> [Double] {
        guard count > 0 else { return [] }
        var raw: [Double]
        switch self {
        case .uniform: raw = [Double](repeating: 1, count: count)
        case .linear: raw = (1...count).map(Double.init)
        case let .ema(alpha):
            raw = (0..<count).map { j in alpha * pow(1 - alpha, Double(count - 1 - j)) }
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }
}

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
