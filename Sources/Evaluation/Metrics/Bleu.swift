import Foundation

/// sacrebleu 2.x BLEU (max order 4, `exp` smoothing, one reference), plus llm-jp-eval v1.4.1's character-aligned
/// call pattern (spec §8.5).
public enum Bleu {
    /// Sufficient statistics of one or more segments.
    struct Stats {
        var hypLength = 0, refLength = 0
        var correct = [Int](repeating: 0, count: 4)
        var total = [Int](repeating: 0, count: 4)

        mutating func add(_ o: Stats) {
            hypLength += o.hypLength; refLength += o.refLength
            for n in 0..<4 { correct[n] += o.correct[n]; total[n] += o.total[n] }
        }
    }

    /// sacrebleu's tokenizer: `13a` (the default, bleu_en) or `ja-mecab` (`trg_lang="ja"`, bleu_ja).
    public enum Tokenization: Sendable { case thirteenA, jaMecab }

    /// `BLEU(tokenize=…).corpus_score(hypotheses, [references]).score` (0…100). ja-mecab needs MeCab's IPAdic
    /// (`MeCabWords.unavailableReason` is nil); without it every segment is empty and the score 0.
    public static func corpus(hypotheses: [String], references: [String], effectiveOrder: Bool = false,
                              tokenization: Tokenization = .thirteenA) -> Double {
        let words = wordSplitter(tokenization)
        var stats = Stats()
        for (h, r) in zip(hypotheses, references) { stats.add(segment(words(h), words(r))) }
        return score(stats, effectiveOrder: effectiveOrder)
    }

    /// `BLEU(effective_order=True).sentence_score(hypothesis, [reference]).score`.
    public static func sentence(hypothesis: String, reference: String, tokenization: Tokenization = .thirteenA) -> Double {
        corpus(hypotheses: [hypothesis], references: [reference], effectiveOrder: true, tokenization: tokenization)
    }

    static func wordSplitter(_ tokenization: Tokenization) -> (String) -> [String] {
        switch tokenization {
        case .thirteenA: return Tokenizer13a.tokens
        case .jaMecab:
            guard case let .success(mecab) = MeCabWords.shared else { return { _ in [] } }
            return mecab.words
        }
    }

    /// llm-jp-eval v1.4.1: `BLEU(effective_order=True).corpus_score(pred, [gold])` with strings, so character k of
    /// the prediction is scored against character k of the gold. For one-character segments the 13a and ja-mecab
    /// tokenizers agree (the character itself, nothing for whitespace), so this serves bleu_en and bleu_ja.
    /// llm-jp-eval raises IndexError on an empty prediction or gold; Kasane scores that sample 0.
    public static func llmJpEvalCompat(prediction: String, gold: String) -> Double {
        let p = Array(prediction.unicodeScalars), g = Array(gold.unicodeScalars)
        guard !p.isEmpty, !g.isEmpty else { return 0 }
        var stats = Stats()
        for k in 0..<min(p.count, g.count) {
            stats.add(segment(characterTokens(p[k]), characterTokens(g[k])))
        }
        return score(stats, effectiveOrder: true)
    }

    private static func characterTokens(_ s: Unicode.Scalar) -> [String] {
        PythonText.isSpace(s) ? [] : Tokenizer13a.tokens(String(Character(s)))
    }

    static func segment(_ hyp: [String], _ ref: [String]) -> Stats {
        var s = Stats()
        s.hypLength = hyp.count
        s.refLength = ref.count
        for n in 1...4 {
            let h = ngrams(hyp, n), r = ngrams(ref, n)
            for (gram, count) in h {
                s.total[n - 1] += count
                if let rc = r[gram] { s.correct[n - 1] += min(count, rc) }
            }
        }
        return s
    }

    private static func ngrams(_ tokens: [String], _ n: Int) -> [[String]: Int] {
        var out: [[String]: Int] = [:]
        guard tokens.count >= n else { return out }
        for i in 0...(tokens.count - n) { out[Array(tokens[i..<(i + n)]), default: 0] += 1 }
        return out
    }

    /// sacrebleu `BLEU.compute_bleu` with smooth_method "exp".
    static func score(_ s: Stats, effectiveOrder: Bool) -> Double {
        var bp = 1.0
        if s.hypLength < s.refLength { bp = s.hypLength > 0 ? exp(1 - Double(s.refLength) / Double(s.hypLength)) : 0 }
        if !s.correct.contains(where: { $0 != 0 }) { return 0 }
        var precisions = [Double](repeating: 0, count: 4)
        var smooth = 1.0
        var order = 4
        for n in 1...4 {
            if s.total[n - 1] == 0 { break }
            if effectiveOrder { order = n }
            if s.correct[n - 1] == 0 {
                smooth *= 2
                precisions[n - 1] = 100 / (smooth * Double(s.total[n - 1]))
            } else {
                precisions[n - 1] = 100 * Double(s.correct[n - 1]) / Double(s.total[n - 1])
            }
        }
        let logs = precisions[..<order].map { $0 == 0 ? -9_999_999_999 : log($0) }
        return bp * exp(logs.reduce(0, +) / Double(order))
    }
}
