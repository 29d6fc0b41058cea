import Foundation

/// A table of the report, rendered the same way into report.html and report.md.
struct ReportTable {
    struct Cell {
        var text: String
        /// A second, smaller line (the 95 % interval).
        var detail: String = ""
        /// The difference to raw with its significance marks.
        var delta: String = ""
        /// "better" / "worse" colours the difference; "" leaves it plain.
        var tone: String = ""
    }

    enum Row {
        case group(String)
        case cells([Cell])
    }

    var title: String
    var header: [String]
    var rows: [Row]
    var note: String = ""

    func html() -> String {
        var s = "<table class=\"report-table\" data-table=\"\(SVG.escape(title))\"><thead><tr>"
        s += header.map { "<th>\(SVG.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            switch row {
            case let .group(text):
                s += "<tr class=\"group\"><td colspan=\"\(header.count)\">\(SVG.escape(text))</td></tr>\n"
            case let .cells(cells):
                s += "<tr>" + cells.map { c in
                    var inner = SVG.escape(c.text)
                    if !c.delta.isEmpty { inner += " <span class=\"delta \(c.tone)\">\(SVG.escape(c.delta))</span>" }
                    if !c.detail.isEmpty { inner += "<br><span class=\"ci\">\(SVG.escape(c.detail))</span>" }
                    return "<td>\(inner)</td>"
                }.joined() + "</tr>\n"
            }
        }
        s += "</tbody></table>\n"
        if !note.isEmpty { s += "<p class=\"note\">\(SVG.escape(note))</p>\n" }
        return s
    }

    func markdown() -> String {
        func line(_ fields: [String]) -> String {
            "| " + fields.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        var s = line(header) + "|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in rows {
            switch row {
            case let .group(text): s += line(["**\(text)**"] + Array(repeating: "", count: header.count - 1))
            case let .cells(cells):
                s += line(cells.map { c in
                    [c.text, c.delta.isEmpty ? "" : "(\(c.delta))", c.detail].filter { !$0.isEmpty }.joined(separator: " ")
                })
            }
        }
        return note.isEmpty ? s : s + "\n" + note + "\n"
    }
}

/// The report's tables: the main table (per measure, categories and AVG as columns, methods as rows grouped by the
/// positions they are compared on), the full per-level tables and the cost table.
enum ReportTables {
    enum Measure: String, CaseIterable {
        case mean = "Mean score", mtv = "MTV", instability = "IS"
        case goldLogprob = "Mean gold log-prob", goldLogprobMTV = "Gold log-prob MTV"

        func value(_ m: StabilityMetrics) -> Double? {
            switch self {
            case .mean: return m.meanScore
            case .mtv: return m.aggregateMTV
            case .instability: return m.instability
            case .goldLogprob: return m.goldLogprobMean
            case .goldLogprobMTV: return m.goldLogprobMTV
            }
        }

        func interval(_ s: LevelStatistics?) -> ConfidenceInterval? {
            switch self {
            case .mean: return s?.meanScoreCI
            case .mtv: return s?.mtvCI
            case .instability, .goldLogprob, .goldLogprobMTV: return nil
            }
        }

        func p(_ s: LevelStatistics?) -> Double? {
            switch self {
            case .mean: return s?.meanScoreP
            case .mtv: return s?.mtvP
            case .instability, .goldLogprob, .goldLogprobMTV: return nil
            }
        }

        var higherIsBetter: Bool { self == .mean || self == .goldLogprob }

        var explanation: String {
            switch self {
            case .mean: return "mean over the positions of the score S(t) (0–1)"
            case .mtv: return "mean total variation of S(t) between adjacent positions (lower is steadier)"
            case .instability: return "share of examples whose normalized answer changes between adjacent positions"
            case .goldLogprob: return "mean over the positions of the mean over examples of the gold output's summed "
                + "log-probability (teacher-forced, nats; categories and AVG average their datasets)"
            case .goldLogprobMTV: return "mean total variation of that series between adjacent positions (nats)"
            }
        }

        /// The measures the main table shows: the gold log-prob ones only when the store holds log-probs.
        static func shown(_ input: ReportInput) -> [Measure] {
            let gold = input.sweep.contains(where: \.hasGoldLogprobs)
            return allCases.filter { gold || ($0 != .goldLogprob && $0 != .goldLogprobMTV) }
        }
    }

    static func f(_ v: Double?, digits: Int = 4) -> String { StabilityExport.fmt(v, digits: digits) }

    static func marks(_ p: Double?) -> String {
        guard let p else { return "" }
        return p < 0.01 ? "**" : p < 0.05 ? "*" : ""
    }

    static func row(_ m: MethodSummary, _ name: String) -> StabilityRow? {
        name == "AVG" ? m.summary.average : m.summary.categories.first { $0.name == name }
    }

    static func positions(_ steps: [Int]) -> String {
        "steps \(steps.first ?? 0)–\(steps.last ?? 0), \(steps.count) positions"
    }

    /// One measure for every category and AVG.
    static func main(_ input: ReportInput, _ measure: Measure) -> ReportTable {
        let levels = input.tableCategories + (input.sweep.contains { $0.summary.average != nil } ? ["AVG"] : [])
        var rows: [ReportTable.Row] = []
        for group in input.positionGroups {
            rows.append(.group(positions(group.steps)))
            for m in [group.raw] + group.integrated {
                // Ensembles have no log-probs: a row of dashes only hides the rows that have values.
                if m.method != .raw && levels.allSatisfy({ row(m, $0).flatMap { measure.value($0.metrics) } == nil }) {
                    continue
                }
                var cells = [ReportTable.Cell(text: m.label)]
                for name in levels {
                    guard let value = row(m, name).flatMap({ measure.value($0.metrics) }) else {
                        cells.append(.init(text: "–"))
                        continue
                    }
                    let stats = m.levelStatistics?[name]
                    var cell = ReportTable.Cell(text: f(value))
                    if let ci = measure.interval(stats), (stats?.resampledDatasets ?? 0) > 0 { cell.detail = "[\(f(ci.low, digits: 3)), \(f(ci.high, digits: 3))]" }
                    if m.method != .raw, let base = row(group.raw, name).flatMap({ measure.value($0.metrics) }) {
                        let d = value - base
                        var mark = marks(measure.p(stats))
                        if measure == .mean, let p = stats?.mcNemarP, p < 0.05 { mark += "†" }
                        cell.delta = (abs(d) < 5e-5 ? "±" : d > 0 ? "+" : "−") + f(abs(d)) + mark
                        if abs(d) > 1e-12 { cell.tone = (d > 0) == measure.higherIsBetter ? "better" : "worse" }
                    }
                    cells.append(cell)
                }
                rows.append(.cells(cells))
            }
        }
        let ciNote = measure != .mean && measure != .mtv ? "" : " Brackets: 95 % bootstrap interval over examples (none where "
            + "every dataset of the level has a corpus-level metric)."
        return ReportTable(title: measure.rawValue, header: ["method"] + levels, rows: rows,
                           note: "\(measure.rawValue): \(measure.explanation).\(ciNote)")
    }

    static let legend = "Δ vs raw on the same positions; * p < 0.05, ** p < 0.01 (paired bootstrap over examples); "
        + "† McNemar p < 0.05 on per-example correctness. Datasets without per-example scores on the 0–1 scale keep "
        + "their observed series in every resample."

    /// Every level of every method, all measures.
    static func full(_ input: ReportInput) -> ReportTable {
        var rows: [ReportTable.Row] = []
        for m in input.sweep {
            rows.append(.group("\(m.label) · \(positions(m.summary.steps))"))
            for r in m.summary.allRows {
                let ci: ConfidenceInterval? = r.level == .dataset ? m.statistics?[r.name]?.meanScoreCI
                    : m.levelStatistics?[r.name]?.meanScoreCI
                let p: Double? = r.level == .dataset ? m.statistics?[r.name]?.mcNemarP : m.levelStatistics?[r.name]?.mcNemarP
                let x = r.metrics
                rows.append(.cells([r.level.rawValue, r.name, f(x.meanScore),
                                    ci.map { "\(f($0.low, digits: 3))–\(f($0.high, digits: 3))" } ?? "–",
                                    f(x.aggregateMTV), f(x.exampleMTV), f(x.instability), f(x.flipRate), f(x.noise),
                                    f(p, digits: 3), f(x.signalToNoise, digits: 2), f(x.goldLogprobMean),
                                    f(x.goldLogprobMTV), f(x.goldLogprobSignalToNoise, digits: 2)]
                                    .map { ReportTable.Cell(text: $0) }))
            }
        }
        return ReportTable(title: "All levels", header: ["level", "name", "mean", "mean 95% CI", "MTV (aggregate)",
                                                         "MTV (per example)", "IS", "flip rate", "noise",
                                                         "McNemar p", "SNR", "gold log-prob", "gold log-prob MTV",
                                                         "gold log-prob SNR"], rows: rows,
                           note: "SNR: signal-to-noise after Heineman et al., the score's spread over the whole run "
                               + "(max − min over |mean|) over its relative std on the analysed positions.")
    }

    static func costs(_ input: ReportInput) -> ReportTable? {
        guard !input.costs.isEmpty else { return nil }
        let rows: [ReportTable.Row] = input.costs.filter { $0.positions > 0 }.map { c in
            let name = c.method == .raw ? "raw checkpoints" : c.method == .average ? "averaged, n=\(c.window)"
                : "ensembled, n=\(c.window) (\((c.vote ?? .majority).rawValue))"
            let mem = c.peakBytes.map { String(format: "%.0f MB", Double($0) / 1_048_576) } ?? "–"
            return .cells([name, String(c.positions), c.forwardPassesText,
                           c.memberForwardPasses > 0 ? c.memberForwardPassesText : "–",
                           String(format: "%.1f", c.seconds), mem].map { ReportTable.Cell(text: $0) })
        }
        return ReportTable(title: "Cost", header: ["method", "positions", "forward passes", "members' forward passes",
                                                   "wall seconds", "peak memory"], rows: rows,
                           note: "Forward passes, one per sequence and step: as the engine counted them (one prefill "
                               + "per evaluated example plus one per decode step); marked ≈ where the store holds no "
                               + "count for some model (evaluated before Kasane recorded them), estimated as one prefill "
                               + "per (model, example) plus one per generated token. "
                               + "An ensemble runs no model; it votes over the raw checkpoints' "
                               + "stored predictions (their passes in the fourth column). Averaged models' seconds "
                               + "include building the average.")
    }
}
