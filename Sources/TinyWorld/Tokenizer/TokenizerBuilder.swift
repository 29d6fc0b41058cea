import Foundation

/// Learns a Unigram vocabulary from a corpus, the way SentencePiece's unigram trainer does in outline:
/// seed pieces from frequent substrings, EM re-estimation of piece probabilities with forward-backward over each
/// unit's segmentation lattice, and pruning of the pieces whose removal costs the corpus likelihood least, by
/// a shrink factor per round, until the target size. Simplifications (documented, not hidden): no digamma/Bayesian
/// smoothing in the M-step, the pruning loss uses the single best alternative segmentation, and every character
/// of the corpus is kept as a piece (the tiny world's character set is small, so no character needs byte fallback).
public struct TokenizerBuilder: Sendable {
    public static let defaultVocabSize = 1024

    public var vocabSize: Int
    public var maxPieceLength = 16
    public var seedFactor = 6            // seed pieces = seedFactor × learned budget
    public var emIterations = 2          // per pruning round
    public var shrinkFactor = 0.75

    public init(vocabSize: Int = TokenizerBuilder.defaultVocabSize) { self.vocabSize = vocabSize }

    public func train(documents: [String]) throws -> UnigramModel {
        let data = TrainingUnits(documents: documents)
        let budget = vocabSize - UnigramModel.firstLearnedPiece
        let charCounts = data.characterCounts()
        // '▁' alone is one of the fixed space-run pieces; it takes part in training as a character.
        let requiredChars = charCounts.keys.sorted()
        let learnedChars = requiredChars.filter { $0 != data.spaceId }.count
        guard budget > learnedChars else {
            throw TinyWorldError.tokenizerBuilder("vocab size \(vocabSize) leaves \(budget) learned pieces, fewer than the corpus's \(learnedChars) characters")
        }
        var pieces: [[Int32]] = requiredChars.map { [$0] }
        var counts: [Double] = requiredChars.map { charCounts[$0] ?? 0 }
        let seeds = data.substringCounts(maxLength: maxPieceLength, minCount: 2)
            .map { (piece: $0.0, score: $0.1 * Double($0.0.count)) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.piece.lexicographicallyPrecedes($1.piece) }
            .prefix(seedFactor * budget)
        for seed in seeds { pieces.append(seed.piece); counts.append(seed.score / Double(seed.piece.count)) }
        let required = requiredChars.count
        var logp = normalise(counts)

        while true {
            for _ in 0..<emIterations {
                counts = expectedCounts(data, pieces: pieces, logp: logp)
                logp = normalise(counts)
            }
            let learned = pieces.count - (data.spaceId == nil ? 0 : 1)
            if learned <= budget { break }
            let target = max(budget, Int(Double(learned) * shrinkFactor))
            let keep = prune(pieces: pieces, logp: logp, counts: counts, required: required,
                             keepMultiChar: target - (required - (data.spaceId == nil ? 0 : 1)))
            pieces = keep.map { pieces[$0] }
            logp = normalise(keep.map { counts[$0] })
        }

        var learned: [(String, Double)] = []
        for (piece, score) in zip(pieces, logp) where piece != [data.spaceId ?? -1] {
            learned.append((data.table.string(piece), score))
        }
        learned.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
        return UnigramModel(learned: learned)
    }

    private func normalise(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { log(max($0, 1e-4) / total) }
    }

    /// E-step: expected piece counts under the current model, by forward-backward over every unit's lattice.
    func expectedCounts(_ data: TrainingUnits, pieces: [[Int32]], logp: [Double]) -> [Double] {
        let trie = PieceTrie(pieces: pieces)
        var counts = [Double](repeating: 0, count: pieces.count)
        var alpha: [Double] = [], beta: [Double] = []
        var edges: [(start: Int, end: Int, piece: Int)] = []
        for (unit, freq) in zip(data.units, data.counts) {
            let n = unit.count
            alpha = [Double](repeating: -.infinity, count: n + 1)
            beta = [Double](repeating: -.infinity, count: n + 1)
            edges.removeAll(keepingCapacity: true)
            alpha[0] = 0
            for i in 0..<n where alpha[i] > -.infinity {
                trie.forEachPrefix(of: unit, from: i) { p, j in
                    edges.append((i, j, p))
                    alpha[j] = logAdd(alpha[j], alpha[i] + logp[p])
                }
            }
            let z = alpha[n]
            guard z > -.infinity else { continue }
            beta[n] = 0
            for e in edges.reversed() { beta[e.start] = logAdd(beta[e.start], logp[e.piece] + beta[e.end]) }
            for e in edges {
                let posterior = alpha[e.start] + logp[e.piece] + beta[e.end] - z
                if posterior > -30 { counts[e.piece] += freq * exp(posterior) }
            }
        }
        return counts
    }

    /// Keeps every required character and the `keepMultiChar` multi-character pieces whose removal would lose
    /// the most likelihood: count × (log p(piece) − log p(best segmentation of the piece without it)).
    func prune(pieces: [[Int32]], logp: [Double], counts: [Double], required: Int, keepMultiChar: Int) -> [Int] {
        let trie = PieceTrie(pieces: pieces)
        var scored: [(index: Int, loss: Double)] = []
        for index in required..<pieces.count {
            let alternative = bestScore(pieces[index], trie: trie, logp: logp, excluding: index)
            scored.append((index, counts[index] * (logp[index] - alternative)))
        }
        scored.sort { $0.loss != $1.loss ? $0.loss > $1.loss : $0.index < $1.index }
        let kept = scored.prefix(max(0, keepMultiChar)).map(\.index).sorted()
        return Array(0..<required) + kept
    }

    private func bestScore(_ text: [Int32], trie: PieceTrie, logp: [Double], excluding: Int) -> Double {
        var best = [Double](repeating: -.infinity, count: text.count + 1)
        best[0] = 0
        for i in 0..<text.count where best[i] > -.infinity {
            trie.forEachPrefix(of: text, from: i) { p, j in
                if p != excluding { best[j] = max(best[j], best[i] + logp[p]) }
            }
        }
        return best[text.count]
    }
}

@inline(__always) func logAdd(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b))
}
