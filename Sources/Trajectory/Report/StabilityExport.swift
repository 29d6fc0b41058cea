import Foundation

/// Stability results in the forms a user reads or feeds to other tools: a terminal table, CSV and JSON.
public enum StabilityExport {
    public static let csvHeader = [
        "method", "window", "align", "vote", "level", "name", "category", "positions", "first_step", "last_step",
        "mean_score", "aggregate_mtv", "example_mtv", "is", "flip_rate", "flipped_once", "up_flips", "down_flips",
        "noise", "tie_break_fraction", "mean_ci_low", "mean_ci_high", "mtv_ci_low", "mtv_ci_high", "mcnemar_p",
        "mean_p", "mtv_p", "signal_to_noise", "gold_logprob_mean", "gold_logprob_mtv", "gold_logprob_snr",
    ]

    /// One line per (method, window, level, name).
    public static func csv(_ rows: [MethodSummary]) -> String {
        var lines = [csvHeader.joined(separator: ",")]
        for m in rows {
            for r in m.summary.allRows {
                let tie: Double? = r.level == .dataset ? m.tieBreakFraction?[r.name] : nil
                let st = r.level == .dataset ? m.statistics?[r.name] : nil
                let level = r.level == .dataset ? nil : m.levelStatistics?[r.name]
                let fields: [String] = [
                    m.method.rawValue, String(m.window), m.alignment.rawValue, m.vote?.rawValue ?? "", r.level.rawValue, CSV.field(r.name),
                    CSV.field(r.category), String(m.summary.steps.count), m.summary.steps.first.map(String.init) ?? "",
                    m.summary.steps.last.map(String.init) ?? "", CSV.number(r.metrics.meanScore),
                    CSV.number(r.metrics.aggregateMTV), CSV.number(r.metrics.exampleMTV),
                    CSV.number(r.metrics.instability), CSV.number(r.metrics.flipRate),
                    CSV.number(r.metrics.flippedOnce), r.metrics.upFlips.map(String.init) ?? "",
                    r.metrics.downFlips.map(String.init) ?? "", CSV.number(r.metrics.noise), CSV.number(tie),
                    CSV.number(st?.meanScoreCI.low ?? level?.meanScoreCI.low),
                    CSV.number(st?.meanScoreCI.high ?? level?.meanScoreCI.high),
                    CSV.number(st?.mtvCI.low ?? level?.mtvCI.low), CSV.number(st?.mtvCI.high ?? level?.mtvCI.high),
                    CSV.number(st?.mcNemarP ?? level?.mcNemarP), CSV.number(st?.meanScoreP ?? level?.meanScoreP),
                    CSV.number(st?.mtvP ?? level?.mtvP), CSV.number(r.metrics.signalToNoise),
                    CSV.number(r.metrics.goldLogprobMean), CSV.number(r.metrics.goldLogprobMTV),
                    CSV.number(r.metrics.goldLogprobSignalToNoise),
                ]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Per-example values of every method and window.
    public static func examplesCSV(_ rows: [MethodSummary]) -> String {
        var lines = ["method,window,align,vote,dataset,example,example_mtv,is,flip_rate"]
        for m in rows {
            for e in m.summary.examples {
                lines.append([m.method.rawValue, String(m.window), m.alignment.rawValue, m.vote?.rawValue ?? "",
                              CSV.field(e.dataset),
                              String(e.index), CSV.number(e.exampleMTV), CSV.number(e.instability),
                              CSV.number(e.flipRate)].joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public struct Document: Codable, Sendable {
        public var run: String
        public var analysis: [String: String]
        public var results: [MethodSummary]
    }

    public static func json(run: String, settings: [String: String], rows: [MethodSummary]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf",
                                                                      negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(Document(run: run, analysis: settings, results: rows))
    }

    /// The AVG row (or, without one, each category) of every method and window, as an aligned text table; the
    /// gold log-prob columns (mean, MTV, signal-to-noise) only when some row has them.
    public static func text(_ rows: [MethodSummary]) -> String {
        let gold = rows.contains(where: \.hasGoldLogprobs)
        var table: [[String]] = [["method", "n", "steps", "level", "mean", "MTV(agg)", "MTV(ex)", "IS", "flips",
                                  "noise", "SNR"] + (gold ? ["goldLP", "goldLP MTV", "goldLP SNR"] : [])]
        for m in rows {
            let levels = m.summary.average.map { [$0] } ?? m.summary.categories
            for r in levels {
                let steps = "\(m.summary.steps.first ?? 0)–\(m.summary.steps.last ?? 0) (\(m.summary.steps.count))"
                let x = r.metrics
                table.append([m.shortName, String(m.window), steps, r.name, fmt(x.meanScore), fmt(x.aggregateMTV),
                              fmt(x.exampleMTV), fmt(x.instability), fmt(x.flipRate), fmt(x.noise),
                              fmt(x.signalToNoise, digits: 2)]
                             + (gold ? [fmt(x.goldLogprobMean), fmt(x.goldLogprobMTV),
                                        fmt(x.goldLogprobSignalToNoise, digits: 2)] : []))
            }
        }
        return TextTable.render(table)
    }

    /// The cost of every method as an aligned text table.
    public static func costText(_ costs: [MethodCost]) -> String {
        var table = [["method", "n", "positions", "forward", "members' fwd", "seconds", "peak MB"]]
        for c in costs where c.positions > 0 {
            table.append([MethodSummary.shortName(c.method, vote: c.vote), String(c.window), String(c.positions),
                          c.forwardPassesText, c.memberForwardPassesText, String(format: "%.1f", c.seconds),
                          c.peakBytes.map { String($0 / 1_048_576) } ?? "–"])
        }
        return TextTable.render(table) + (costs.contains { !$0.measured && $0.positions > 0 }
            ? "≈: estimated (the store holds no engine count for some of its models)\n" : "")
    }

    static func fmt(_ v: Double?, digits: Int = 4) -> String {
        guard let v, v.isFinite else { return "–" }
        return String(format: "%.\(digits)f", v)
    }
}

enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == 0 || i == 3 ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - c.count) + c
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
