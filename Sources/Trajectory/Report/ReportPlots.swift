/// The report's SVG plots, built from a `ReportInput`.
enum ReportPlots {
    static let averageColors = ["#2166ac", "#4393c3", "#92c5de", "#053061", "#6a51a3"]
    static let ensembleColors = ["#d6604d", "#f4a582", "#b2182b", "#fdb863", "#8c510a"]

    static func windows(_ input: ReportInput) -> [Int] {
        Array(Set(input.averaged.keys).union(input.ensembles.keys)).filter { $0 > 1 }.sorted()
    }

    /// Score over steps for one category (or AVG): raw, each averaged window, each ensemble window.
    static func scoreOverSteps(_ input: ReportInput, category: String?) -> String {
        let cats = StabilityOptions.paperCategories
        func series(_ table: TrajectoryTable) -> [Double] {
            category.map { ReportInput.categorySeries(table, $0) } ?? ReportInput.averageSeries(table, categories: cats)
        }
        func points(_ table: TrajectoryTable) -> [(x: Double, y: Double)] {
            let ys = series(table)
            return ys.isEmpty ? [] : zip(table.steps, ys).map { (Double($0), $1) }
        }
        var lines = [LineSeries(name: "raw checkpoints", color: "#000000", points: points(input.raw))]
        for (k, n) in windows(input).enumerated() {
            if let t = input.averaged[n] {
                lines.append(LineSeries(name: "average, n=\(n)", color: averageColors[k % averageColors.count],
                                        points: points(t)))
            }
            if let t = input.ensembles[n] {
                lines.append(LineSeries(name: "ensemble, n=\(n)", color: ensembleColors[k % ensembleColors.count],
                                        dash: "6 3", points: points(t)))
            }
        }
        let name = category ?? "AVG"
        return LineChart(title: "\(name): score over training steps", xLabel: "training step",
                         yLabel: "score (0–1, llm-jp-eval scale)", series: lines.filter { !$0.points.isEmpty },
                         yRange: nil).render()
    }

    /// One AVG-level measure against window size, for raw (on the same positions), averaged and ensembled.
    static func measureAgainstWindow(_ input: ReportInput, title: String, yLabel: String,
                                     value: (StabilityMetrics) -> Double?) -> String {
        var lines: [LineSeries] = []
        for (method, color, dash) in [(MethodSummary.Method.raw, "#000000", ""), (.average, "#2166ac", ""),
                                      (.ensemble, "#d6604d", "6 3")] {
            let pts: [(x: Double, y: Double)] = input.sweep.filter { $0.method == method }.compactMap { m in
                guard let row = m.summary.average ?? m.summary.categories.first,
                      let v = value(row.metrics) else { return nil }
                return (Double(m.window), v)
            }
            if !pts.isEmpty {
                let label = method == .raw ? "raw (same positions)" : method.rawValue
                lines.append(LineSeries(name: label, color: color, dash: dash, points: pts))
            }
        }
        return LineChart(title: title, xLabel: "window size n (checkpoints)", yLabel: yLabel, series: lines,
                         yRange: nil, discreteX: true).render()
    }

    static func heatmap(_ input: ReportInput) -> (dataset: String, svg: String)? {
        guard let name = input.leastStableDataset,
              let series = input.raw.datasets.first(where: { $0.dataset == name }) else { return nil }
        let rows: [(label: String, correct: [Bool])] = series.examples.prefix(200).compactMap { e in
            e.scores.map { ("#\(e.index)", $0.map { $0 >= input.correctnessThreshold }) }
        }
        guard !rows.isEmpty else { return nil }
        let chart = CorrectnessHeatmap(title: "\(name): per-example correctness over checkpoints (raw)",
                                       steps: input.raw.steps, rows: rows)
        return (name, chart.render())
    }
}
