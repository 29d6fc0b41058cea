import Foundation

/// `--steps A:B[:stride]`: steps in [A, B] (either end may be empty), keeping every checkpoint whose
/// `step - A` is a multiple of `stride` (with an empty A, the first step selected counts as A).
public struct StepRange: Sendable, Equatable {
    public var lower: Int?
    public var upper: Int?
    public var stride: Int?

    public init(lower: Int?, upper: Int?, stride: Int? = nil) {
        self.lower = lower; self.upper = upper; self.stride = stride
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2 || parts.count == 3 else {
            throw TrajectoryError.selection("--steps '\(text)': expected A:B or A:B:stride (e.g. 1000:20000:1000)")
        }
        func number(_ s: String, _ what: String) throws -> Int? {
            if s.isEmpty { return nil }
            guard let value = Int(s), value >= 0 else {
                throw TrajectoryError.selection("--steps '\(text)': \(what) '\(s)' is not a non-negative integer")
            }
            return value
        }
        lower = try number(parts[0], "start")
        upper = try number(parts[1], "end")
        stride = parts.count == 3 ? try number(parts[2], "stride") : nil
        if let s = stride, s <= 0 { throw TrajectoryError.selection("--steps '\(text)': stride must be positive") }
        if let l = lower, let u = upper, l > u {
            throw TrajectoryError.selection("--steps '\(text)': start \(l) is after end \(u)")
        }
    }

    public func select(_ checkpoints: [Checkpoint]) -> [Checkpoint] {
        let inRange = checkpoints.filter { c in
            (lower.map { c.step >= $0 } ?? true) && (upper.map { c.step <= $0 } ?? true)
        }
        guard let stride, let origin = lower ?? inRange.first?.step else { return inRange }
        return inRange.filter { ($0.step - origin) % stride == 0 }
    }
}

/// `--at 1000,2000`: explicit steps, comma-separated.
public struct StepList: Sendable, Equatable {
    public var steps: [Int]

    public init(parsing text: String) throws {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0) }
        guard !values.isEmpty, values.count == parts.count else {
            throw TrajectoryError.invalidOption(option: "--at", value: text, expected: "a comma-separated list of steps")
        }
        steps = values
    }
}

/// `--last-fraction p`: the last k = ⌈p·M⌉ of M checkpoints, at least min(2, M) (the analysis window of the
/// instability spec §7: MTV and IS need two). p is parsed as an exact rational ("0.2", "1/5", "20%") so that the
/// ceiling never overshoots through binary rounding.
public struct LastFraction: Sendable, Equatable {
    public var numerator: Int
    public var denominator: Int

    public init(numerator: Int, denominator: Int) throws {
        guard denominator > 0, numerator > 0, numerator <= denominator else {
            throw TrajectoryError.selection("--last-fraction \(numerator)/\(denominator): must be in (0, 1]")
        }
        self.numerator = numerator; self.denominator = denominator
    }

    public init(parsing raw: String) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let bad = TrajectoryError.selection("--last-fraction '\(raw)': expected a fraction in (0, 1] like 0.2, 1/5 or 20%")
        if text.hasSuffix("%") {
            let inner = try LastFraction.decimal(String(text.dropLast()), bad)
            try self.init(numerator: inner.0, denominator: inner.1 * 100)
        } else if let slash = text.firstIndex(of: "/") {
            guard let n = Int(text[..<slash]), let d = Int(text[text.index(after: slash)...]) else { throw bad }
            try self.init(numerator: n, denominator: d)
        } else {
            let value = try LastFraction.decimal(text, bad)
            try self.init(numerator: value.0, denominator: value.1)
        }
    }

    /// "0.25" → (25, 100); "1" → (1, 1).
    private static func decimal(_ text: String, _ bad: TrajectoryError) throws -> (Int, Int) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !text.isEmpty else { throw bad }
        let whole = String(parts[0]), fraction = parts.count == 2 ? String(parts[1]) : ""
        guard (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }), !(whole + fraction).isEmpty,
              fraction.count <= 9, let digits = Int(whole + fraction) else { throw bad }
        var denominator = 1
        for _ in 0..<fraction.count { denominator *= 10 }
        return (digits, denominator)
    }

    public func count(of total: Int) -> Int {
        guard total > 0 else { return 0 }
        let k = (numerator * total + denominator - 1) / denominator
        return min(total, max(k, min(2, total)))
    }

    public func select(_ checkpoints: [Checkpoint]) -> [Checkpoint] {
        Array(checkpoints.suffix(count(of: checkpoints.count)))
    }
}
