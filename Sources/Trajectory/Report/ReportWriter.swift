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
        let figuresDirectory = (directory as NSString).appendingPathComponent("figures")
        do { try fm.createDirectory(atPath: figuresDirectory, withIntermediateDirectories: true) } catch {
            throw TrajectoryError.output(path: figuresDirectory, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let (zoomed, sweep, other) = figures(input)
        let svgFiles = (zoomed + sweep + other + ReportPlots.goldLogProbTrajectories(input)).map {
            ("figures/" + $0.file, Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + $0.svg + "\n").utf8))
        }
        let files: [(String, Data)] = svgFiles + [
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

    /// The figures in page order (those the data allows).
    static func figures(_ input: ReportInput) -> (zoomed: [ReportFigure], sweep: [ReportFigure], other: [ReportFigure]) {
        let zoomed = [ReportPlots.zoomed(input, level: "AVG", small: false)]
            + input.tableCategories.map { ReportPlots.zoomed(input, level: $0, small: true) }
        let sweep = [ReportPlots.windowSweep(input, .mean, file: "window-sweep-mean.svg"),
                     ReportPlots.windowSweep(input, .mtv, file: "window-sweep-mtv.svg"),
                     ReportPlots.windowSweep(input, .instability, file: "window-sweep-is.svg")]
        let other = [ReportPlots.driftAgainstMTV(input), ReportPlots.heatmap(input)]
        return (zoomed.compactMap { $0 }, sweep.compactMap { $0 }, other.compactMap { $0 })
    }

    static func subtitle(_ input: ReportInput) -> String {
        let span = input.sweep.filter { $0.method == .raw }.map(\.summary.steps).max { $0.count < $1.count } ?? []
        var s = "\(input.raw.steps.count) checkpoints (steps \(input.raw.steps.first ?? 0)–\(input.raw.steps.last ?? 0)), "
        s += "\(input.raw.datasets.count) datasets; analysis span: steps \(span.first ?? 0)–\(span.last ?? 0) "
        s += "(\(span.count) checkpoints). Scores on llm-jp-eval's 0–1 scale."
        return s
    }

    static func markdown(_ input: ReportInput) -> String {
        var s = "# Stability report: \(input.displayName)\n\n\(subtitle(input))\n\n## Main table\n\n"
        s += ReportTables.legend + "\n\n"
        for measure in ReportTables.Measure.shown(input) {
            s += "### \(measure.rawValue)\n\n" + ReportTables.main(input, measure).markdown() + "\n"
        }
        if let costs = ReportTables.costs(input) { s += "## Cost\n\n" + costs.markdown() + "\n" }
        let (zoomed, sweep, other) = figures(input)
        s += "## Figures\n\n"
        for fig in zoomed + sweep + other + ReportPlots.goldLogProbTrajectories(input) {
            s += "- [`figures/\(fig.file)`](figures/\(fig.file)): \(fig.caption)\n"
        }
        s += "\n## All levels\n\n" + ReportTables.full(input).markdown()
        s += "\n## Settings\n\n"
        for (k, v) in input.displaySettings { s += "- \(k): \(v)\n" }
        if !input.excluded.isEmpty {
            s += "\n## Left out\n\n"
            for (k, v) in input.excluded.sorted(by: { $0.key < $1.key }) { s += "- \(k): \(v)\n" }
        }
        s += "\n## Files\n\n- `report.html`: this report with its figures inline\n- `figures/*.svg`: each figure alone\n"
        s += "- `stability.csv`, `stability.json`: every measure per method, window, level\n"
        s += "- `examples.csv`: per-example MTV, IS and flip rate\n- `scores.csv`: scores per step\n"
        return s
    }

    static func html(_ input: ReportInput) -> String {
        func figure(_ f: ReportFigure, _ cls: String = "") -> String {
            "<figure class=\"\(cls)\" data-file=\"\(SVG.escape(f.file))\">\(f.svg)<figcaption>\(SVG.escape(f.caption))</figcaption></figure>\n"
        }
        let (zoomed, sweep, other) = figures(input)
        var body = "<header><h1>Stability report: \(SVG.escape(input.displayName))</h1>\n"
        body += "<p class=\"subtitle\">\(SVG.escape(subtitle(input)))</p></header>\n"
        body += "<section id=\"main-table\"><h2>Main table</h2>\n<p class=\"note\">\(SVG.escape(ReportTables.legend))</p>\n"
        for measure in ReportTables.Measure.shown(input) {
            body += "<h3>\(SVG.escape(measure.rawValue))</h3>\n" + ReportTables.main(input, measure).html()
        }
        body += "</section>\n"
        if let first = zoomed.first {
            body += "<section id=\"trajectories\"><h2>Trajectories over the analysis span</h2>\n" + figure(first)
            body += "<div class=\"grid\">" + zoomed.dropFirst().map { figure($0, "small") }.joined() + "</div></section>\n"
        }
        if !sweep.isEmpty {
            body += "<section id=\"window-sweep\"><h2>Window sweep</h2>\n" + sweep.map { figure($0) }.joined() + "</section>\n"
        }
        let gold = ReportPlots.goldLogProbTrajectories(input)
        if let first = gold.first {
            body += "<section id=\"gold-logprob\"><h2>Gold log-prob trajectories</h2>\n" + figure(first)
            body += "<div class=\"grid\">" + gold.dropFirst().map { figure($0, "small") }.joined() + "</div></section>\n"
        }
        for f in other {
            let heading = f.file.hasPrefix("drift") ? "Parameter drift and score changes" : "Least stable dataset"
            body += "<section><h2>\(heading)</h2>\n" + figure(f) + "</section>\n"
        }
        body += "<section id=\"full-tables\"><h2>Full tables</h2>\n"
        if let costs = ReportTables.costs(input) {
            body += "<details open><summary>Cost per method</summary>\n" + costs.html() + "</details>\n"
        }
        body += "<details><summary>Every level of every method</summary>\n" + ReportTables.full(input).html() + "</details>\n"
        body += "<details><summary>Settings</summary><ul>"
        for (k, v) in input.displaySettings { body += "<li><b>\(SVG.escape(k))</b>: \(SVG.escape(v))</li>" }
        body += "</ul></details>\n"
        if !input.excluded.isEmpty {
            body += "<details><summary>Left out (\(input.excluded.count))</summary><ul>"
            for (k, v) in input.excluded.sorted(by: { $0.key < $1.key }) {
                body += "<li>\(SVG.escape(k)): \(SVG.escape(v))</li>"
            }
            body += "</ul></details>\n"
        }
        body += "</section>\n"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Kasane stability report: \(SVG.escape(input.displayName))</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 1180px; margin: 1.2em auto;
               padding: 0 1em; color: #111; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 1.4em 0 .4em; border-bottom: 1px solid #ddd; }
        h3 { font-size: 14px; margin: .9em 0 .2em; } .subtitle { margin: 0 0 .6em; color: #444; font-size: 13px; }
        table { border-collapse: collapse; font-size: 11.5px; margin: .3em 0; }
        th, td { border: 1px solid #ccc; padding: 2px 5px; text-align: right; vertical-align: top; white-space: nowrap; }
        th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; white-space: nowrap; }
        tr.group td { background: #f7f7f7; font-style: italic; text-align: left; }
        .ci { color: #777; font-size: 10px; } .delta { font-size: 10.5px; } .better { color: #1a7f37; } .worse { color: #b42318; }
        .note { font-size: 11.5px; color: #555; margin: .2em 0 .5em; }
        figure { margin: .8em 0; page-break-inside: avoid; break-inside: avoid; }
        figcaption { font-size: 11.5px; color: #555; max-width: 720px; }
        .grid { display: flex; flex-wrap: wrap; gap: 0 12px; } .grid figure { width: 470px; }
        svg.chart { max-width: 100%; height: auto; font-family: inherit; }
        details { margin: .5em 0; } summary { cursor: pointer; font-weight: bold; }
        @media print { body { max-width: none; margin: 0; } h2 { page-break-after: avoid; } details { display: block; } }
        </style></head><body>
        \(body)
        </body></html>

        """
    }
}
