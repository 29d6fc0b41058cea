import Foundation

/// Which of the M ordered checkpoints a stability analysis looks at (spec §7, §7.2).
public enum AnalysisSpan: Sendable, Equatable {
    /// The last k = max(2, ⌈p · M⌉) checkpoints, with p = numerator / denominator kept exact.
    case lastFraction(numerator: Int, denominator: Int)
    /// The last k checkpoints (k ≥ 2).
    case lastCount(Int)
    /// Checkpoints whose step lies in the closed range.
    case steps(ClosedRange<Int>)
    case all

    /// The default: the final 20 % of checkpoints.
    public static let finalFifth = AnalysisSpan.lastFraction(numerator: 1, denominator: 5)

    /// "all", or a fraction as `--last-fraction` takes it ("0.2", "1/5", "20%"), kept exact.
    public static func parseFraction(_ text: String) throws -> AnalysisSpan {
        if text.trimmingCharacters(in: .whitespaces) == "all" { return .all }
        let fraction = try LastFraction(parsing: text)
        return .lastFraction(numerator: fraction.numerator, denominator: fraction.denominator)
    }

    /// The analysed positions (0-based, oldest first) among checkpoints with the given ordered steps, or nil when
    /// fewer than two remain (MTV and IS are undefined for m < 2).
    public func positions(steps: [Int]) -> Range<Int>? {
        let m = steps.count
        guard m >= 2 else { return nil }
        switch self {
        case .all:
            return 0..<m
        case let .lastFraction(numerator, denominator):
            guard numerator > 0, denominator > 0 else { return nil }
            let k = min(m, max(2, (numerator * m + denominator - 1) / denominator))
            return (m - k)..<m
        case let .lastCount(k):
            guard k >= 2 else { return nil }
            return (m - min(k, m))..<m
        case let .steps(range):
            guard let first = steps.firstIndex(where: { range.contains($0) }),
                  let last = steps.lastIndex(where: { range.contains($0) }), last - first >= 1 else { return nil }
            return first..<(last + 1)
        }
    }
}
