import Foundation

/// ROUGE as llm-jp-eval's RougeJa computes it for xlsum_ja: Google's rouge_score with sacrebleu's ja-mecab words,
/// F-measure × 100 per sample; rougeLsum first puts a newline after each of 。！？ and scores sentence by sentence.
public enum Rouge {
    public enum Kind: String, Sendable, CaseIterable { case rouge1, rouge2, rougeLsum }

    /// One sample's F-measure × 100, with `words` as the word tokenizer.
    static func score(_ kind: Kind, prediction: String, gold: String, words: (String) -> [String]) -> Double {
        switch kind {
        case .rouge1: return 100 * ngramF(words(prediction), words(gold), n: 1)
        case .rouge2: return 100 * ngramF(words(prediction), words(gold), n: 2)
        case .rougeLsum:
            return 100 * summaryLCSF(sentences(prediction).map(words), sentences(gold).map(words))
        }
    }

    /// rouge_score `_score_ngrams`: clipped n-gram overlap.
    static func ngramF(_ prediction: [String], _ target: [String], n: Int) -> Double {
        let p = ngrams(prediction, n), t = ngrams(target, n)
        let overlap = t.reduce(0) { $0 + min($1.value, p[$1.key] ?? 0) }
        let precision = Double(overlap) / Double(max(p.values.reduce(0, +), 1))
        let recall = Double(overlap) / Double(max(t.values.reduce(0, +), 1))
        return fmeasure(precision, recall)
    }

    private static func ngrams(_ tokens: [String], _ n: Int) -> [[String]: Int] {
        var out: [[String]: Int] = [:]
        guard tokens.count >= n else { return out }
        for i in 0...(tokens.count - n) { out[Array(tokens[i..<(i + n)]), default: 0] += 1 }
        return out
    }

    private static func fmeasure(_ precision: Double, _ recall: Double) -> Double {
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// RougeJa's sentence split: a newline after 。！？, then rouge_score's split on newlines (empty lines dropped).
    static func sentences(_ text: String) -> [String] {
        var marked = ""
        for c in text.unicodeScalars {
            marked.unicodeScalars.append(c)
            if c == "。" || c == "！" || c == "？" { marked.unicodeScalars.append("\n") }
        }
        return PythonText.split(marked, separator: "\n").filter { !$0.isEmpty }
    }

    /// rouge_score `_summary_level_lcs`: for each target sentence, the union of its LCS with every predicted
    /// sentence, each token counted at most as often as it occurs on both sides.
    static func summaryLCSF(_ prediction: [[String]], _ target: [[String]]) -> Double {
        let m = target.reduce(0) { $0 + $1.count }, n = prediction.reduce(0) { $0 + $1.count }
        guard m > 0, n > 0 else { return 0 }
        var targetCounts: [String: Int] = [:], predictionCounts: [String: Int] = [:]
        for s in target { for t in s { targetCounts[t, default: 0] += 1 } }
        for s in prediction { for t in s { predictionCounts[t, default: 0] += 1 } }
        var hits = 0
        for sentence in target {
            var union = Set<Int>()
            for candidate in prediction { union.formUnion(lcsIndices(sentence, candidate)) }
            for index in union.sorted() {
                let token = sentence[index]
                if (predictionCounts[token] ?? 0) > 0, (targetCounts[token] ?? 0) > 0 {
                    hits += 1
                    predictionCounts[token, default: 0] -= 1
                    targetCounts[token, default: 0] -= 1
                }
            }
        }
        return fmeasure(Double(hits) / Double(n), Double(hits) / Double(m))
    }

    /// Indices into `reference` of one longest common subsequence, backtracked as rouge_score does.
    static func lcsIndices(_ reference: [String], _ candidate: [String]) -> [Int] {
        let rows = reference.count, cols = candidate.count
        guard rows > 0, cols > 0 else { return [] }
        var table = [[Int]](repeating: [Int](repeating: 0, count: cols + 1), count: rows + 1)
        for i in 1...rows {
            for j in 1...cols {
                table[i][j] = reference[i - 1] == candidate[j - 1] ? table[i - 1][j - 1] + 1
                    : max(table[i - 1][j], table[i][j - 1])
            }
        }
        var out: [Int] = []
        var i = rows, j = cols
        while i > 0 && j > 0 {
            if reference[i - 1] == candidate[j - 1] {
                out.append(i - 1); i -= 1; j -= 1
            } else if table[i][j - 1] > table[i - 1][j] {
                j -= 1
            } else {
                i -= 1
            }
        }
        return out.reversed()
    }

    /// rouge_score's BootstrapAggregator "mid": the median (numpy's linear percentile) of `samples` means of
    /// resamples with replacement. llm-jp-eval leaves numpy unseeded; Kasane seeds its own generator, so the mid is
    /// reproducible but not numpy's draw; both estimate the plain mean, usually within about 0.1.
    public static func bootstrapMid(_ values: [Double], samples: Int = 1000,
                                    using generator: inout some RandomNumberGenerator) -> Double {
        guard !values.isEmpty else { return 0 }
        var means: [Double] = []
        means.reserveCapacity(samples)
        for _ in 0..<samples {
            var sum = 0.0
            for _ in values.indices { sum += values[Int.random(in: 0..<values.count, using: &generator)] }
            means.append(sum / Double(values.count))
        }
        means.sort()
        let position = 0.5 * Double(samples - 1)
        let low = Int(position.rounded(.down)), high = Int(position.rounded(.up))
        return means[low] + (means[high] - means[low]) * (position - Double(low))
    }
}
