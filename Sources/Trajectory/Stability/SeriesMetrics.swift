/// The stability formulas of spec §4, §5, §11 on one series over ordered checkpoint positions. Each returns nil where
/// the formula is undefined (fewer than two positions; noise with a zero mean).
public enum SeriesMetrics {
    /// MTV = (1/(m−1)) Σ |L(t+1) − L(t)|.
    public static func meanTotalVariation(_ values: [Double]) -> Double? {
        guard values.count >= 2 else { return nil }
        var total = 0.0
        for t in 0..<(values.count - 1) { total += abs(values[t + 1] - values[t]) }
        return total / Double(values.count - 1)
    }

    /// IS = (1/(m−1)) Σ [1 − sim(x_t, x_{t+1})], sim called as (earlier, later).
    public static func instabilityScore(_ outputs: [String], similarity: (String, String) -> Double) -> Double? {
        guard outputs.count >= 2 else { return nil }
        var total = 0.0
        for t in 0..<(outputs.count - 1) { total += 1 - similarity(outputs[t], outputs[t + 1]) }
        return total / Double(outputs.count - 1)
    }

    /// Exact similarity: 1 when the normalized predictions are identical code point for code point.
    public static func exactSimilarity(_ a: String, _ b: String) -> Double {
        a.unicodeScalars.elementsEqual(b.unicodeScalars) ? 1 : 0
    }

    /// Per-example correctness flips between adjacent positions (spec §11.2).
    public struct Flips: Sendable, Equatable {
        public var up: Int      // 0 → 1
        public var down: Int    // 1 → 0
        public var pairs: Int   // m − 1
        public var rate: Double? { pairs > 0 ? Double(up + down) / Double(pairs) : nil }
    }

    public static func flips(_ correct: [Bool]) -> Flips {
        var up = 0, down = 0
        if correct.count >= 2 {
            for t in 0..<(correct.count - 1) where correct[t] != correct[t + 1] {
                if correct[t + 1] { up += 1 } else { down += 1 }
            }
        }
        return Flips(up: up, down: down, pairs: max(0, correct.count - 1))
    }

    /// noise = std / mean (population std by default, ddof = 0), undefined for an empty series or a zero mean.
    public static func relativeNoise(_ values: [Double], ddof: Int = 0) -> Double? {
        guard let mu = mean(values), mu != 0, values.count - ddof > 0 else { return nil }
        var squares = 0.0
        for v in values { squares += (v - mu) * (v - mu) }
        return (squares / Double(values.count - ddof)).squareRoot() / mu
    }

    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var total = 0.0
        for v in values { total += v }
        return total / Double(values.count)
    }

    /// Mean of the defined values, nil when none is.
    public static func meanOfDefined(_ values: [Double?]) -> Double? {
        mean(values.compactMap { $0 })
    }
}
