import Foundation
import Testing
@testable import Linalg

/// `causalSoftmax` against double precision on every variant: row r over its first `firstSeen + r` scores, zeros
/// after them, lengths on and off the 16-lane vectors.
@Suite struct CausalSoftmaxTests {
    @Test(arguments: KernelLevel.allCases.filter { $0 <= KernelLevel.best })
    func matchesDoublePrecision(level: KernelLevel) {
        var rng = SeededRandom(seed: 7)
        let rows = 40, firstSeen = 1, visible = 40, ld = 43, scale: Float = 0.125
        let original = (0..<(rows * ld)).map { _ in Float(rng.nextGaussian()) * 20 }
        var scores = original
        causalSoftmax(&scores, ld: ld, rows: rows, firstSeen: firstSeen, visible: visible, scale: scale, level: level)
        for r in 0..<rows {
            let seen = firstSeen + r
            let scaled = (0..<seen).map { Double(Float(original[r * ld + $0]) * scale) }
            let top = scaled.max()!
            let total = scaled.reduce(0) { $0 + exp($1 - top) }
            for t in 0..<seen {
                let expected = exp(scaled[t] - top) / total
                #expect(abs(Double(scores[r * ld + t]) - expected) <= 2e-6 * expected + 1e-30, "\(level) row \(r) key \(t)")
            }
            #expect(scores[(r * ld + seen)..<(r * ld + visible)].allSatisfy { $0 == 0 }, "\(level) row \(r): masked keys")
            #expect(scores[(r * ld + visible)..<(r * ld + ld)] == original[(r * ld + visible)..<(r * ld + ld)])
        }
    }

    @Test func aRowWithEveryScoreMinusInfinityIsUniform() {
        var row = [Float](repeating: -.infinity, count: 20)
        causalSoftmax(&row, ld: 20, rows: 1, firstSeen: 20, visible: 20, scale: 1)
        #expect(row.allSatisfy { $0 == 1 / Float(20) })
    }
}
