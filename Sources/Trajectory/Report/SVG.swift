import Foundation

/// Minimal SVG building for the report's plots: self-contained markup, no scripts, no external references.
enum SVG {
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func num(_ v: Double) -> String { String(format: "%.2f", v) }

    /// 'Nice' tick values covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, count > 0 else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var t = ceil(lo / step - 1e-9) * step
        var out: [Double] = []
        while t <= hi + step * 1e-9 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e7 { return String(Int(v)) }
        let s = String(format: "%.3g", v)
        return s
    }
}

struct LineSeries {
    var name: String
    var color: String
    var dash: String = ""
    var points: [(x: Double, y: Double)]
    var markers = true
    /// A shaded interval around the line (e.g. a bootstrap 95 % band), drawn beneath it.
    var band: [(x: Double, low: Double, high: Double)] = []
}

/// A line chart with axes, ticks, axis titles (with units) and a legend.
struct LineChart {
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [LineSeries]
    var width = 720.0
    var height = 340.0
    /// Pin the y range (e.g. 0…1 for scores); nil = fit the data with some margin.
    var yRange: ClosedRange<Double>?
    /// Category-like x axis: tick at each distinct x.
    var discreteX = false
    /// Pin the x range (panels that share an axis); nil = the data's range.
    var xRange: ClosedRange<Double>?
    /// With a fitted y range: start the axis at 0 (false: fit the data, for zoomed trajectories).
    var includeZero = true
    var legendWidth = 170.0

    func render() -> String {
        let left = 64.0, right = width - legendWidth, top = 34.0, bottom = height - 48.0
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = (series.flatMap { $0.points.map(\.y) } + series.flatMap { $0.band.flatMap { [$0.low, $0.high] } })
            .filter(\.isFinite)
        var xlo = xRange?.lowerBound ?? xs.min() ?? 0, xhi = xRange?.upperBound ?? xs.max() ?? 1
        if xhi == xlo { xlo -= 1; xhi += 1 }
        var ylo: Double, yhi: Double
        if let yRange { ylo = yRange.lowerBound; yhi = yRange.upperBound } else {
            ylo = includeZero ? min(0, ys.min() ?? 0) : ys.min() ?? 0; yhi = ys.max() ?? 1
            if yhi <= ylo { yhi = ylo + (includeZero ? 1 : max(abs(ylo) * 0.1, 0.01)) }
            let margin = (yhi - ylo) * 0.08
            yhi += margin
            if !includeZero { ylo -= margin }
        }
        let yTicks = SVG.ticks(ylo, yhi)
        if let last = yTicks.last, last > yhi { yhi = last }
        if let first = yTicks.first, first < ylo { ylo = first }
        func px(_ x: Double) -> Double { left + (x - xlo) / (xhi - xlo) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - ylo) / (yhi - ylo) * (bottom - top) }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(SVG.num(width)) \(SVG.num(height))" \
        width="\(SVG.num(width))" height="\(SVG.num(height))" role="img" aria-label="\(SVG.escape(title))">
        <title>\(SVG.escape(title))</title>
        <rect x="0" y="0" width="\(SVG.num(width))" height="\(SVG.num(height))" fill="#ffffff"/>
        <text x="\(SVG.num(left))" y="20" font-size="14" font-weight="bold">\(SVG.escape(title))</text>

        """
        for t in yTicks {
            s += "<line x1=\"\(SVG.num(left))\" x2=\"\(SVG.num(right))\" y1=\"\(SVG.num(py(t)))\" y2=\"\(SVG.num(py(t)))\" stroke=\"#e3e3e3\"/>"
            s += "<text x=\"\(SVG.num(left - 6))\" y=\"\(SVG.num(py(t) + 4))\" font-size=\"11\" text-anchor=\"end\">\(SVG.label(t))</text>\n"
        }
        let xTicks = discreteX ? Array(Set(xs)).sorted() : SVG.ticks(xlo, xhi, count: 6).filter { $0 >= xlo && $0 <= xhi }
        for t in xTicks {
            s += "<line x1=\"\(SVG.num(px(t)))\" x2=\"\(SVG.num(px(t)))\" y1=\"\(SVG.num(bottom))\" y2=\"\(SVG.num(bottom + 5))\" stroke=\"#333\"/>"
            s += "<text x=\"\(SVG.num(px(t)))\" y=\"\(SVG.num(bottom + 18))\" font-size=\"11\" text-anchor=\"middle\">\(SVG.label(t))</text>\n"
        }
        s += "<line class=\"axis\" x1=\"\(SVG.num(left))\" x2=\"\(SVG.num(right))\" y1=\"\(SVG.num(bottom))\" y2=\"\(SVG.num(bottom))\" stroke=\"#333\"/>"
        s += "<line class=\"axis\" x1=\"\(SVG.num(left))\" x2=\"\(SVG.num(left))\" y1=\"\(SVG.num(top))\" y2=\"\(SVG.num(bottom))\" stroke=\"#333\"/>\n"
        s += "<text x=\"\(SVG.num((left + right) / 2))\" y=\"\(SVG.num(height - 10))\" font-size=\"12\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>\n"
        s += "<text transform=\"translate(16 \(SVG.num((top + bottom) / 2))) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">\(SVG.escape(yLabel))</text>\n"
        for line in series where !line.band.isEmpty {
            let band = line.band.filter { $0.low.isFinite && $0.high.isFinite }.sorted { $0.x < $1.x }
            let upper = band.map { "\(SVG.num(px($0.x))),\(SVG.num(py($0.high)))" }
            let lower = band.reversed().map { "\(SVG.num(px($0.x))),\(SVG.num(py($0.low)))" }
            s += "<polygon class=\"band\" data-series=\"\(SVG.escape(line.name))\" fill=\"\(line.color)\" fill-opacity=\"0.15\" stroke=\"none\" points=\"\((upper + lower).joined(separator: " "))\"/>\n"
        }
        for (k, line) in series.enumerated() {
            let pts = line.points.filter { $0.y.isFinite }.sorted { $0.x < $1.x }
            guard !pts.isEmpty else { continue }
            let path = pts.map { "\(SVG.num(px($0.x))),\(SVG.num(py($0.y)))" }.joined(separator: " ")
            let dash = line.dash.isEmpty ? "" : " stroke-dasharray=\"\(line.dash)\""
            s += "<polyline class=\"series\" data-series=\"\(SVG.escape(line.name))\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash) points=\"\(path)\"/>\n"
            if line.markers {
                for p in pts {
                    s += "<circle cx=\"\(SVG.num(px(p.x)))\" cy=\"\(SVG.num(py(p.y)))\" r=\"2.5\" fill=\"\(line.color)\"/>"
                }
                s += "\n"
            }
            let ly = top + 8 + Double(k) * 18
            s += "<line x1=\"\(SVG.num(right + 14))\" x2=\"\(SVG.num(right + 40))\" y1=\"\(SVG.num(ly))\" y2=\"\(SVG.num(ly))\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash)/>"
            s += "<text class=\"legend\" x=\"\(SVG.num(right + 46))\" y=\"\(SVG.num(ly + 4))\" font-size=\"11\">\(SVG.escape(line.name))</text>\n"
        }
        return s + "</svg>"
    }
}

/// Per-example correctness over checkpoints: one row per example, one column per step.
struct CorrectnessHeatmap {
    var title: String
    var steps: [Int]
    var rows: [(label: String, correct: [Bool])]

    func render() -> String {
        let left = 64.0, top = 34.0
        let cell = max(3.0, min(28.0, 640.0 / Double(max(1, steps.count))))
        let rowHeight = max(3.0, min(18.0, 480.0 / Double(max(1, rows.count))))
        let plotW = cell * Double(steps.count), plotH = max(36.0, rowHeight * Double(rows.count))
        // Wide enough for the title and the legend whatever the grid size.
        let width = max(left + plotW + 150, 8.0 * Double(title.count) + left), height = top + plotH + 56
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart heatmap" viewBox="0 0 \(SVG.num(width)) \(SVG.num(height))" \
        width="\(SVG.num(width))" height="\(SVG.num(height))" role="img" aria-label="\(SVG.escape(title))">
        <title>\(SVG.escape(title))</title>
        <rect x="0" y="0" width="\(SVG.num(width))" height="\(SVG.num(height))" fill="#ffffff"/>
        <text x="\(SVG.num(left))" y="20" font-size="14" font-weight="bold">\(SVG.escape(title))</text>

        """
        for (r, row) in rows.enumerated() {
            for (c, ok) in row.correct.enumerated() {
                s += "<rect x=\"\(SVG.num(left + Double(c) * cell))\" y=\"\(SVG.num(top + Double(r) * rowHeight))\" width=\"\(SVG.num(cell))\" height=\"\(SVG.num(rowHeight))\" fill=\"\(ok ? "#1b7837" : "#e8e8e8")\"/>"
            }
            s += "\n"
        }
        let labelEvery = max(1, rows.count / 10)
        for (r, row) in rows.enumerated() where r % labelEvery == 0 {
            s += "<text x=\"\(SVG.num(left - 6))\" y=\"\(SVG.num(top + (Double(r) + 0.8) * rowHeight))\" font-size=\"9\" text-anchor=\"end\">\(SVG.escape(row.label))</text>"
        }
        // Step labels at least ~48 px apart so they never overlap.
        let stepEvery = max(1, Int((48.0 / cell).rounded(.up)))
        for (c, step) in steps.enumerated() where c % stepEvery == 0 || c == steps.count - 1 {
            s += "<text x=\"\(SVG.num(left + (Double(c) + 0.5) * cell))\" y=\"\(SVG.num(top + plotH + 14))\" font-size=\"10\" text-anchor=\"middle\">\(step)</text>"
        }
        s += "\n<text x=\"\(SVG.num(left + plotW / 2))\" y=\"\(SVG.num(height - 12))\" font-size=\"12\" text-anchor=\"middle\">checkpoint (training step)</text>"
        s += "<text transform=\"translate(14 \(SVG.num(top + plotH / 2))) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">example index</text>\n"
        let lx = left + plotW + 16
        s += "<rect x=\"\(SVG.num(lx))\" y=\"\(SVG.num(top))\" width=\"12\" height=\"12\" fill=\"#1b7837\"/><text class=\"legend\" x=\"\(SVG.num(lx + 18))\" y=\"\(SVG.num(top + 10))\" font-size=\"11\">correct</text>"
        s += "<rect x=\"\(SVG.num(lx))\" y=\"\(SVG.num(top + 20))\" width=\"12\" height=\"12\" fill=\"#e8e8e8\" stroke=\"#999\"/><text class=\"legend\" x=\"\(SVG.num(lx + 18))\" y=\"\(SVG.num(top + 30))\" font-size=\"11\">incorrect</text>\n"
        return s + "</svg>"
    }
}
