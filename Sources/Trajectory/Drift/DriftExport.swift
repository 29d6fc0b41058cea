import Foundation
import JSON

/// `kasane drift --json` and `--csv`: the same measures, nested or flat.
public enum DriftExport {
    /// `{"pairs": [{"from_step", "to_step", "l2", "relative_l2", "update_cosine", "groups": {...}, "layers": {...}}]}`;
    /// a measure that is not defined (the first pair's cosine, a zero norm) is null.
    public static func json(_ pairs: [DriftPair]) -> String {
        func measure(_ m: DriftPair.Measure) -> [String: JSONValue] {
            ["l2": .finite(m.l2), "relative_l2": .finite(m.relativeL2), "update_cosine": .finite(m.updateCosine)]
        }
        let items: [JSONValue] = pairs.map { pair in
            var object = measure(pair.total)
            object["from_step"] = .integer(pair.fromStep)
            object["to_step"] = .integer(pair.toStep)
            object["groups"] = .dictionary(pair.groups.mapValues { .dictionary(measure($0)) })
            object["layers"] = .dictionary(Dictionary(uniqueKeysWithValues: pair.layers.map {
                (String($0.key), JSONValue.dictionary(measure($0.value)))
            }))
            return .dictionary(object)
        }
        return JSONWriter.string(["pairs": .array(items)], layout: .indented(2), sortKeys: true) + "\n"
    }

    /// One row per pair and scope (`total`, `group:<name>`, `layer:<n>`).
    public static func csv(_ pairs: [DriftPair]) -> String {
        var out = CSV.line(["from_step", "to_step", "scope", "l2", "relative_l2", "update_cosine"])
        for pair in pairs {
            for (scope, m) in DriftScope.rows(pair) {
                out += CSV.line([String(pair.fromStep), String(pair.toStep), scope, CSV.number(m.l2),
                                 CSV.number(m.relativeL2), CSV.number(m.updateCosine)])
            }
        }
        return out
    }

    /// Writes the exports asked for: every measure as JSON, as CSV.
    public static func write(_ pairs: [DriftPair], json: String?, csv: String?) throws {
        if let json { try OutputFile.write(Self.json(pairs), to: json) }
        if let csv { try OutputFile.write(Self.csv(pairs), to: csv) }
    }

    /// The total per pair as an aligned text table.
    public static func text(_ pairs: [DriftPair]) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "–" }
        var lines = ["from → to          ‖Δθ‖₂        ‖Δθ‖/‖θ‖     cos(Δθ, Δθ_prev)"]
        for p in pairs {
            lines.append("\(String(p.fromStep).padding(toLength: 7, withPad: " ", startingAt: 0)) → "
                         + "\(String(p.toStep).padding(toLength: 8, withPad: " ", startingAt: 0)) "
                         + "\(f(p.total.l2).padding(toLength: 12, withPad: " ", startingAt: 0)) "
                         + "\(f(p.total.relativeL2).padding(toLength: 12, withPad: " ", startingAt: 0)) "
                         + f(p.total.updateCosine))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `kasane drift`: measures a run's consecutive checkpoints and, with a store, records the result there.
public struct DriftRequest: Sendable {
    public var checkpoints: String
    public var steps: StepRange?
    public var lastFraction: LastFraction?
    /// The store to record into (nil: only print/export).
    public var db: String?
    /// The run name in the store (default: the checkpoint folder's absolute path, as `kasane eval` names runs).
    public var runName: String?

    public init(checkpoints: String, steps: StepRange? = nil, lastFraction: LastFraction? = nil, db: String? = nil,
                runName: String? = nil) {
        self.checkpoints = checkpoints; self.steps = steps; self.lastFraction = lastFraction; self.db = db
        self.runName = runName
    }

    public func run() throws -> [DriftPair] {
        let selected = try CheckpointIndex(path: checkpoints).select(steps: steps, lastFraction: lastFraction)
            .sorted { $0.step < $1.step }
        let (pairs, checked) = try ParameterDrift.measured(selected)
        if let db {
            let fingerprints = Dictionary(uniqueKeysWithValues: zip(selected, checked).map { ($0.step, $1.fingerprint) })
            try ResultStore(path: db).recordDrift(runName: runName ?? TrajectoryEvaluation.absolute(checkpoints),
                                                  pairs: pairs, fingerprints: fingerprints)
        }
        return pairs
    }
}
