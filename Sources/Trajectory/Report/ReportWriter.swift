import Foundation

/// Writes `report.md`, CSV tables, `stability.json` and a self-contained `report.html` (inline SVG, no scripts,
/// no network) into a folder.
public enum ReportWriter {
    @discardableResult
    public static func write(_ input: ReportInput, to directory: String) throws -> [String] {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw TrajectoryError.output(path: directory, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let files: [(String, Data)] = [
            ("report.md", Data(markdown(input).utf8)),
            ("report.html", Data(html(input).utf8)),
            ("stability.csv", Data(StabilityExport.csv(input.sweep).utf8)),
            ("examples.csv", Data(StabilityExport.examplesCSV(input.sweep).utf8)),
            ("scores.csv", Data(scoresCSV(input).utf8)),
            ("stability.json", try StabilityExport.json(run: input.runName,
                                                       settings: Dictionary(input.settings, uniquingKeysWith: { a, _ in a }),
                                                       rows: input.sweep)),
        ]
        var written: [String] = []
        for (name, data) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw TrajectoryError.output(path: path, reason: error.localizedDescription)
            }
            written.append(path)
        }
        return written
    }

    /// Dataset and category scores of every trajectory at every step.
    static func scoresCSV(_ input: ReportInput) -> String {
        var lines = ["method,window,step,level,name,score"]
        var tables: [(String, Int, TrajectoryTable)] = [("raw", 1, input.raw)]
        for n in input.averaged.keys.sorted() { if let t = input.averaged[n] { tables.append(("average", n, t)) } }
        for n in input.ensembles.keys.sorted() { if let t = input.ensembles[n] { tables.append(("ensemble", n, t)) } }
        for (method, n, table) in tables {
            let categories = input.categories.map { ($0, ReportInput.categorySeries(table, $0)) }
            let avg = ReportInput.averageSeries(table, categories: StabilityOptions.paperCategories)
            for (t, step) in table.steps.enumerated() {
                for d in table.datasets {
                    lines.append("\(method),\(n),\(step),dataset,\(CSV.field(d.dataset)),\(CSV.number(d.scores[t]))")
                }
                for (c, s) in categories where !s.isEmpty {
                    lines.append("\(method),\(n),\(step),category,\(CSV.field(c)),\(CSV.number(s[t]))")
                }
                if !avg.isEmpty { lines.append("\(method),\(n),\(step),average,AVG,\(CSV.number(avg[t]))") }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "–" }

    static func summaryRows(_ input: ReportInput) -> [[String]] {
        input.sweep.map { m in
            let row = m.summary.average ?? m.summary.categories.first
            let r = row?.metrics
            return [m.method.rawValue, String(m.window),
                    "\(m.summary.steps.first ?? 0)–\(m.summary.steps.last ?? 0) (\(m.summary.steps.count))",
                    row?.name ?? "", f(r?.meanScore), f(r?.aggregateMTV), f(r?.exampleMTV), f(r?.instability),
                    f(r?.flipRate), f(r?.noise)]
        }
    }

    static let summaryHeader = ["method", "window n", "steps (positions)", "level", "mean score", "MTV (aggregate)",
                                "MTV (per example)", "IS", "flip rate", "noise (std/mean)"]

    static func categoryRows(_ input: ReportInput) -> [[String]] {
        input.sweep.flatMap { m in
            (m.summary.categories + m.summary.datasets).map { r in
                [m.method.rawValue, String(m.window), r.level.rawValue, r.name, f(r.metrics.meanScore),
                 f(r.metrics.aggregateMTV), f(r.metrics.exampleMTV), f(r.metrics.instability), f(r.metrics.flipRate),
                 f(r.metrics.noise)]
            }
        }
    }

    static let detailHeader = ["method", "window n", "level", "name", "mean score", "MTV (aggregate)",
                               "MTV (per example)", "IS", "flip rate", "noise"]

    static func markdown(_ input: ReportInput) -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            var s = "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in "---" }.joined(separator: "|") + "|\n"
            for r in rows { s += "| " + r.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
            return s
        }
        var s = "# Stability report: \(input.runName)\n\n"
        s += "Checkpoints: \(input.raw.steps.count) (steps \(input.raw.steps.first ?? 0)–\(input.raw.steps.last ?? 0)), "
        s += "datasets: \(input.raw.datasets.count).\n\n## Settings\n\n"
        for (k, v) in input.settings { s += "- \(k): \(v)\n" }
        s += "\n## Summary (AVG over the paper's nine categories present)\n\n"
        s += "Each window size n is compared on the same positions: the analysis span's positions where a window of n fits.\n\n"
        s += table(summaryHeader, summaryRows(input))
        s += "\n## Categories and datasets\n\n" + table(detailHeader, categoryRows(input))
        if let (name, _) = ReportPlots.heatmap(input) {
            s += "\n## Least stable dataset\n\n`\(name)` has the highest per-example MTV among the raw checkpoints; "
            s += "its per-example correctness heatmap is in `report.html`.\n"
        }
        if !input.excluded.isEmpty {
            s += "\n## Left out\n\n"
            for (k, v) in input.excluded.sorted(by: { $0.key < $1.key }) { s += "- \(k): \(v)\n" }
        }
        s += "\n## Files\n\n- `report.html`: this report with plots\n- `stability.csv`, `stability.json`: every measure "
        s += "per method, window, level\n- `examples.csv`: per-example MTV, IS and flip rate\n- `scores.csv`: scores per step\n"
        return s
    }

    static func html(_ input: ReportInput) -> String {
        func table(_ header: [String], _ rows: [[String]]) -> String {
            var s = "<table><thead><tr>" + header.map { "<th>\(SVG.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for r in rows { s += "<tr>" + r.map { "<td>\(SVG.escape($0))</td>" }.joined() + "</tr>\n" }
            return s + "</tbody></table>\n"
        }
        var body = "<h1>Stability report: \(SVG.escape(input.runName))</h1>\n"
        body += "<p>\(input.raw.steps.count) checkpoints (steps \(input.raw.steps.first ?? 0)–\(input.raw.steps.last ?? 0)), "
        body += "\(input.raw.datasets.count) datasets. Scores are on llm-jp-eval's 0–1 scale.</p>\n<h2>Settings</h2><ul>"
        for (k, v) in input.settings { body += "<li><b>\(SVG.escape(k))</b>: \(SVG.escape(v))</li>" }
        body += "</ul>\n<h2>Summary</h2>\n<p>AVG over the paper's nine categories present. Each window size n is compared on "
        body += "the same positions (the analysis span's positions where a window of n fits).</p>\n"
        body += table(summaryHeader, summaryRows(input))
        body += "<h2>Score over training steps</h2>\n<figure>\(ReportPlots.scoreOverSteps(input, category: nil))</figure>\n"
        for c in input.categories {
            body += "<figure>\(ReportPlots.scoreOverSteps(input, category: c))</figure>\n"
        }
        body += "<h2>Instability against window size</h2>\n"
        body += "<figure>\(ReportPlots.measureAgainstWindow(input, title: "MTV of the AVG score", yLabel: "MTV (score units)", value: { $0.aggregateMTV }))</figure>\n"
        body += "<figure>\(ReportPlots.measureAgainstWindow(input, title: "Per-example MTV (AVG)", yLabel: "MTV (score units)", value: { $0.exampleMTV }))</figure>\n"
        body += "<figure>\(ReportPlots.measureAgainstWindow(input, title: "Instability score IS (AVG)", yLabel: "IS (fraction of answer changes)", value: { $0.instability }))</figure>\n"
        if let (name, svg) = ReportPlots.heatmap(input) {
            body += "<h2>Least stable dataset: \(SVG.escape(name))</h2>\n<p>Highest per-example MTV among the raw "
            body += "checkpoints; an example counts as correct when its score is ≥ \(input.correctnessThreshold).</p>\n"
            body += "<figure>\(svg)</figure>\n"
        }
        body += "<h2>Categories and datasets</h2>\n" + table(detailHeader, categoryRows(input))
        if !input.excluded.isEmpty {
            body += "<h2>Left out</h2><ul>"
            for (k, v) in input.excluded.sorted(by: { $0.key < $1.key }) {
                body += "<li>\(SVG.escape(k)): \(SVG.escape(v))</li>"
            }
            body += "</ul>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Kasane stability report: \(SVG.escape(input.runName))</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1000px; margin: 2em auto;
               padding: 0 1em; color: #111; }
        table { border-collapse: collapse; font-size: 12px; margin: 1em 0; }
        th, td { border: 1px solid #bbb; padding: 3px 7px; text-align: right; }
        th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; }
        figure { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }
        svg.chart { max-width: 100%; height: auto; font-family: inherit; }
        @media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; } }
        </style></head><body>
        \(body)
        </body></html>

        """
    }
}
