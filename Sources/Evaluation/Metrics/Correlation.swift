import Foundation

/// jsts's pearson and spearman (spec §8.4): golds parsed with `float`, predictions with llm-jp-eval's `parse_float`,
/// corpus-level over the dataset; an undefined correlation (NaN) becomes 0.
public enum Correlation {
    /// `re.sub(r"[^0-9.]", "", s)` then `float(...)`, −2.0 when that fails.
    public static func parseFloat(_ text: String) -> Double {
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { ("0"..."9").contains($0) || $0 == "." }))
        return pythonFloat(digitsAndDots: kept) ?? -2.0
    }

    /// Python `float()` of a string made only of ASCII digits and dots.
    static func pythonFloat(digitsAndDots s: String) -> Double? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.contains(where: { !$0.isEmpty }) else { return nil }
        return Double(s.hasPrefix(".") ? "0" + s : s)
    }

    /// Python `float(gold)` for a gold string (whitespace allowed around it).
    static func parseGold(_ text: String) -> Double? {
        let trimmed = PythonText.strip(text).replacingOccurrences(of: "_", with: "")
        return Double(trimmed)
    }

    /// scipy.stats.pearsonr(x, y)[0], NaN → 0.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = x.count
        guard n >= 2, y.count == n else { return 0 }
        let mx = x.reduce(0, +) / Double(n), my = y.reduce(0, +) / Double(n)
        var sxx = 0.0, syy = 0.0
        for i in 0..<n { sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my) }
        let nx = sxx.squareRoot(), ny = syy.squareRoot()
        guard nx > 0, ny > 0 else { return 0 }
        var r = 0.0
        for i in 0..<n { r += ((x[i] - mx) / nx) * ((y[i] - my) / ny) }
        let clipped = max(-1, min(1, r))
        return clipped.isNaN ? 0 : clipped
    }

    /// scipy.stats.spearmanr(x, y)[0]: Pearson of average ranks (ties share their mean rank), NaN → 0.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        pearson(averageRanks(x), averageRanks(y))
    }

    static func averageRanks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }
}
