/// One figure of the report: inline in report.html and written alone as `figures/<file>`.
struct ReportFigure {
    var file: String
    var caption: String
    var svg: String
}

/// The report's SVG figures, built from a `ReportInput`.
enum ReportPlots {
    static let rawColor = "#222222", averageColor = "#2166ac", ensembleColor = "#d6604d"

    static func color(_ method: MethodSummary.Method) -> String {
        switch method {
        case .raw: return rawColor
        case .average: return averageColor
        case .ensemble: return ensembleColor
        }
    }

    static let confidenceColor = "#b8860b"

    static func color(_ m: MethodSummary) -> String { m.vote == .confidence ? confidenceColor : color(m.method) }

    static func dash(_ m: MethodSummary) -> String {
        m.method != .ensemble ? "" : m.vote == .confidence ? "2 2" : "6 3"
    }

    /// S(t) (or, with `gold`, the mean gold log-prob) of one level of a method over its positions, with the
    /// bootstrap band of S(t) when there is one.
    static func trajectory(_ m: MethodSummary, level: String, gold: Bool = false) -> LineSeries? {
        let ys = gold ? m.summary.goldSeries[level]
            : level == "AVG" ? m.summary.averageSeries : m.summary.categorySeries[level]
        guard let ys, ys.count == m.summary.steps.count else { return nil }
        let xs = m.summary.steps.map(Double.init)
        var line = LineSeries(name: m.label, color: color(m), dash: dash(m),
                              points: Array(zip(xs, ys)).map { ($0, $1) })
        if !gold, let band = m.levelStatistics?[level]?.band, band.count == xs.count {
            line.band = zip(xs, band).map { ($0, $1.low, $1.high) }
        }
        return line
    }

    /// Raw over the whole analysis span against the headline window's averaged and ensembled trajectories.
    static func zoomed(_ input: ReportInput, level: String, small: Bool) -> ReportFigure? {
        guard let raw = input.sweep.filter({ $0.method == .raw }).max(by: { $0.summary.steps.count < $1.summary.steps.count }),
              let line = trajectory(raw, level: level) else { return nil }
        var lines = [line]
        if let n = input.headlineWindow {
            lines += input.sweep.filter { $0.method != .raw && $0.window == n }.compactMap { trajectory($0, level: level) }
        }
        let title = "\(level): score over the analysis span"
        var chart = LineChart(title: title, xLabel: "training step", yLabel: "score (0–1)", series: lines,
                              yRange: nil, includeZero: false)
        if small { chart.width = 470; chart.height = 260; chart.legendWidth = 150 }
        return ReportFigure(file: "trajectory-\(fileSafe(level)).svg",
                            caption: "\(level) score S(t) of the raw checkpoints and of the n=\(input.headlineWindow ?? 1) "
                                + "integrated trajectories; shaded: 95 % bootstrap band over examples.",
                            svg: chart.render())
    }

    /// One AVG-level measure against window size, for averaging and ensembles, with raw on the same positions.
    static func windowSweep(_ input: ReportInput, _ measure: ReportTables.Measure, file: String) -> ReportFigure? {
        var lines: [LineSeries] = []
        let kinds: [(MethodSummary.Method, EnsembleVote?)] = [(.raw, nil), (.average, nil), (.ensemble, .majority),
                                                              (.ensemble, .confidence)]
        for (method, vote) in kinds {
            let rows = input.sweep.filter {
                $0.method == method && $0.vote == vote && $0.window > 1 && $0.summary.average != nil
            }
            var pts: [(x: Double, y: Double)] = [], band: [(x: Double, low: Double, high: Double)] = []
            for m in rows {
                guard let v = m.summary.average.flatMap({ measure.value($0.metrics) }) else { continue }
                pts.append((Double(m.window), v))
                if let ci = measure.interval(m.levelStatistics?["AVG"]) { band.append((Double(m.window), ci.low, ci.high)) }
            }
            guard !pts.isEmpty else { continue }
            let name = method == .raw ? "raw (same positions)" : method == .average ? "averaged"
                : "ensembled (\((vote ?? .majority).rawValue))"
            lines.append(LineSeries(name: name, color: color(rows[0]), dash: dash(rows[0]), points: pts, band: band))
        }
        guard lines.contains(where: { $0.name != "raw (same positions)" }) else { return nil }
        let chart = LineChart(title: "AVG \(measure.rawValue) against window size", xLabel: "window size n (checkpoints)",
                              yLabel: measure == .mean ? "mean score (0–1)" : "\(measure.rawValue) (score units)",
                              series: lines, yRange: nil, discreteX: true, includeZero: measure != .mean)
        return ReportFigure(file: file, caption: "AVG \(measure.rawValue) of averaged and ensembled trajectories by "
                                + "window size n, and of the raw checkpoints on each n's positions; shaded: 95 % "
                                + "bootstrap interval.", svg: chart.render())
    }

    /// Parameter drift between consecutive checkpoints over the span, above the step-to-step change |ΔS_AVG| (the
    /// terms MTV averages) of raw and of the headline window's trajectories.
    static func driftAgainstMTV(_ input: ReportInput) -> ReportFigure? {
        guard let raw = input.sweep.filter({ $0.method == .raw }).max(by: { $0.summary.steps.count < $1.summary.steps.count }),
              let first = raw.summary.steps.first, let last = raw.summary.steps.last else { return nil }
        let pairs = input.drift.filter { $0.fromStep >= first && $0.toStep <= last && $0.total.relativeL2.isFinite }
        guard pairs.count >= 2 else { return nil }
        let range = Double(first)...Double(last)
        let drift = LineChart(title: "Parameter drift ‖θ(t+1) − θ(t)‖ / ‖θ(t)‖", xLabel: "training step",
                              yLabel: "relative L2", series: [
                                  LineSeries(name: "relative drift", color: "#6a51a3",
                                             points: pairs.map { (Double($0.toStep), $0.total.relativeL2) })],
                              height: 250, yRange: nil, xRange: range)
        var changes: [LineSeries] = []
        for m in [raw] + input.sweep.filter({ $0.method != .raw && $0.window == input.headlineWindow }) {
            guard let s = m.summary.averageSeries, s.count >= 2 else { continue }
            changes.append(LineSeries(name: m.label, color: color(m), dash: dash(m),
                                      points: (1..<s.count).map { (Double(m.summary.steps[$0]), abs(s[$0] - s[$0 - 1])) }))
        }
        let change = LineChart(title: "Step-to-step change of the AVG score |S(t+1) − S(t)|", xLabel: "training step",
                               yLabel: "|ΔS| (score units)", series: changes, height: 250, yRange: nil, xRange: range)
        let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart stacked" viewBox="0 0 720 500" width="720" height="500" \
        role="img" aria-label="drift against MTV"><title>Parameter drift against score changes</title>
        \(nested(drift.render(), y: 0))
        \(nested(change.render(), y: 250))
        </svg>
        """
        return ReportFigure(file: "drift-vs-mtv.svg", caption: "Top: relative parameter drift between consecutive "
                                + "checkpoints (kasane drift). Bottom: the step-to-step AVG score changes whose mean "
                                + "is the MTV. Both are plotted at the later step of each pair.", svg: svg)
    }

    /// An inner chart placed at a vertical offset inside an outer SVG.
    static func nested(_ svg: String, y: Double) -> String {
        svg.replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"",
                                 with: "<svg x=\"0\" y=\"\(SVG.num(y))\" class=\"chart\"")
    }

    /// The least stable dataset's per-example correctness over the raw checkpoints, most-flipping examples first.
    static func heatmap(_ input: ReportInput) -> ReportFigure? {
        guard let name = input.leastStableDataset,
              let raw = input.sweep.filter({ $0.method == .raw }).max(by: { $0.summary.steps.count < $1.summary.steps.count })
        else { return nil }
        let examples = raw.summary.examples.filter { $0.dataset == name && $0.correct != nil }
        func flips(_ c: [Bool]) -> Int { zip(c, c.dropFirst()).filter { $0 != $1 }.count }
        let sorted = examples.sorted {
            let a = flips($0.correct ?? []), b = flips($1.correct ?? [])
            return a != b ? a > b : $0.index < $1.index
        }
        let rows = sorted.prefix(200).map { e in ("#\(e.index)", e.correct ?? []) }
        guard !rows.isEmpty else { return nil }
        let chart = CorrectnessHeatmap(title: "\(name): per-example correctness (raw), most flips first",
                                       steps: raw.summary.steps, rows: rows)
        let shown = rows.count < examples.count ? " (the \(rows.count) with the most flips of \(examples.count))" : ""
        return ReportFigure(file: "flips-\(fileSafe(name)).svg",
                            caption: "\(name) has the highest per-example MTV among the raw checkpoints. Each row is "
                                + "an example\(shown), each column a checkpoint of the analysis span; an example "
                                + "counts as correct when its score is ≥ \(input.correctnessThreshold).",
                            svg: chart.render())
    }

    /// The mean gold log-prob over the analysis span, AVG first then each category, raw against the headline
    /// window's integrated trajectories (those with log-probs: ensembles have none of their own); empty when the
    /// store holds no log-probs.
    static func goldLogProbTrajectories(_ input: ReportInput) -> [ReportFigure] {
        guard let raw = input.sweep.filter({ $0.method == .raw }).max(by: { $0.summary.steps.count < $1.summary.steps.count })
        else { return [] }
        let integrated = input.sweep.filter { $0.method != .raw && $0.window == input.headlineWindow }
        return (["AVG"] + input.tableCategories).enumerated().compactMap { k, level in
            guard let line = trajectory(raw, level: level, gold: true) else { return nil }
            let lines = [line] + integrated.compactMap { trajectory($0, level: level, gold: true) }
            var chart = LineChart(title: "\(level): mean gold log-prob over the analysis span", xLabel: "training step",
                                  yLabel: "log-prob (nats)", series: lines, yRange: nil, includeZero: false)
            if k > 0 { chart.width = 470; chart.height = 260; chart.legendWidth = 150 }
            return ReportFigure(file: "gold-logprob-\(fileSafe(level)).svg",
                                caption: "\(level): mean over examples of the gold output's teacher-forced log-probability "
                                    + "(categories and AVG average their datasets), raw checkpoints and the "
                                    + "n=\(input.headlineWindow ?? 1) integrated trajectories that carry log-probs.",
                                svg: chart.render())
        }
    }

    static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }
}
