/// llm-jp-eval's `char_f1`: fuzzywuzzy `token_sort_ratio(pred, gold) / 100` with python-Levenshtein (spec §8.2).
public enum CharF1 {
    public static func score(prediction: String, gold: String) -> Double {
        Double(tokenSortRatio(prediction, gold)) / 100
    }

    /// fuzzywuzzy 0.18 `token_sort_ratio` (force_ascii, full_process) as an integer 0…100.
    public static func tokenSortRatio(_ a: String, _ b: String) -> Int {
        ratio(processAndSort(a), processAndSort(b))
    }

    /// `full_process` (drop U+0080–U+00FF, `\W` → space, lower, strip), split, sort by code point, join.
    static func processAndSort(_ text: String) -> [Unicode.Scalar] {
        var processed: [Unicode.Scalar] = []
        for s in text.unicodeScalars where !(0x80...0xFF).contains(s.value) {
            processed.append(PythonText.isWord(s) ? s : " ")
        }
        let lowered = PythonText.strip(PythonText.lower(processed))
        let tokens = PythonText.split(lowered).sorted(by: PythonText.lessThan)
        var joined: [Unicode.Scalar] = []
        for (i, t) in tokens.enumerated() {
            if i > 0 { joined.append(" ") }
            joined.append(contentsOf: t)
        }
        return PythonText.strip(joined)
    }

    /// fuzzywuzzy `ratio`: equal → 100, an empty side → 0, else round-half-even(100 · Levenshtein.ratio).
    static func ratio(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a == b { return 100 }
        if a.isEmpty || b.isEmpty { return 0 }
        let lensum = a.count + b.count
        let distance = lensum - 2 * longestCommonSubsequence(a, b)
        // python-Levenshtein 0.2x computes 1 - dist/lensum (rapidfuzz Indel); the float matters at .5 boundaries.
        let similarity = 1.0 - Double(distance) / Double(lensum)
        return Int((100 * similarity).rounded(.toNearestOrEven))
    }

    /// LCS length: the indel distance is lensum − 2·LCS.
    static func longestCommonSubsequence(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        var row = [Int](repeating: 0, count: short.count + 1)
        for x in long {
            var diagonal = 0
            for j in 0..<short.count {
                let above = row[j + 1]
                row[j + 1] = short[j] == x ? diagonal + 1 : max(above, row[j])
                diagonal = above
            }
        }
        return row[short.count]
    }
}
