import Foundation
import Testing
@testable import Linalg

/// The vector kernels against straightforward double-precision formulas.
@Suite struct VectorKernelTests {
    @Test func expMatchesFoundation() {
        var worst = 0.0
        var x = -87.0
        while x < 88 {
            let ours = Double(exp1(Float(x)))
            let ref = Foundation.exp(Double(Float(x)))
            worst = max(worst, abs(ours - ref) / ref)
            x += 0.0137
        }
        #expect(worst < 3e-7)
    }

    @Test func softmaxSumsToOneAndMatches() {
        let n = 37
        var v = (0..<n).map { Float(sin(Double($0) * 1.7) * 30) }
        let ref = v.map { Foundation.exp(Double($0 - v.max()!)) }
        let total = ref.reduce(0, +)
        v.withUnsafeMutableBufferPointer { softmaxInPlace($0) }
        for i in 0..<n { #expect(abs(Double(v[i]) - ref[i] / total) < 1e-6) }
        var masked: [Float] = [-.infinity, -.infinity]
        masked.withUnsafeMutableBufferPointer { softmaxInPlace($0) }
        #expect(masked == [0.5, 0.5])
    }

    /// Every variant, a length off the 16-lane vectors, gates past exp's clamps (±88).
    @Test(arguments: KernelLevel.allCases.filter { $0 <= KernelLevel.best })
    func siluMultiplyMatches(level: KernelLevel) {
        let n = 61
        var g = (0..<n).map { Float($0) * 3.3 - 100 }
        let u = (0..<n).map { Float($0) * 0.1 - 2 }
        let ref = zip(g, u).map { Double($0) / (1 + Foundation.exp(-Double($0))) * Double($1) }
        u.withUnsafeBufferPointer { up in
            g.withUnsafeMutableBufferPointer { siluMultiply(gate: $0, up: up, level: level) }
        }
        for i in 0..<n { #expect(abs(Double(g[i]) - ref[i]) < 1e-5 * (1 + abs(ref[i])), "\(level) gate \(i)") }
    }

    @Test func geluMatchesDoublePrecisionErf() {
        var x: [Float] = stride(from: -15.0, to: 15.0, by: 0.0173).map { Float($0) } + [0, -0.0, 1]
        let ref = x.map { 0.5 * Double($0) * (1 + erf(Double($0) / 2.0.squareRoot())) }
        x.withUnsafeMutableBufferPointer { geluInPlace($0) }
        var worst = 0.0
        for i in x.indices { worst = max(worst, abs(Double(x[i]) - ref[i]) / (1 + abs(ref[i]))) }
        #expect(worst < 3e-7)
    }

    @Test(arguments: KernelLevel.allCases) func logSumExpMatchesDoublePrecisionOverAVocabularyRow(level: KernelLevel) {
        // A logits-like row of the LLM-jp vocabulary size (not a multiple of 8 or 512), seeded, spread over ±30.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let row: [Float] = (0..<99_587).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Double(state >> 11) / Double(1 << 53) * 60 - 30)
        }
        let m = Double(row.max()!)
        let ref = m + log(row.reduce(0.0) { $0 + exp(Double($1) - m) })
        let ours = row.withUnsafeBufferPointer { logSumExp($0, level: level) }
        #expect(abs(ours - ref) < 1e-6 * (1 + abs(ref)), "\(ours) vs \(ref)")
        #expect([Float]().withUnsafeBufferPointer { logSumExp($0, level: level) } == -.infinity)
        for count in [9, 40] {
            #expect([Float](repeating: -.infinity, count: count).withUnsafeBufferPointer { logSumExp($0, level: level) }
                    == -.infinity)
            for bad in [Float.nan, .infinity] {   // in the vector part and in the tail
                for at in [1, count - 1] {
                    var x = [Float](repeating: 1, count: count)
                    x[at] = bad
                    #expect(x.withUnsafeBufferPointer { logSumExp($0, level: level) }.isNaN, "\(bad) at \(at) of \(count)")
                }
            }
        }
    }

    /// The first index of the largest entry, as a scan from the first entry with `>` gives, wherever it sits.
    @Test(arguments: KernelLevel.allCases) func argmaxIsTheFirstLargest(level: KernelLevel) {
        func scan(_ x: [Float]) -> Int {
            var best = 0
            for i in x.indices.dropFirst() where x[i] > x[best] { best = i }
            return x.isEmpty ? 0 : best
        }
        func ours(_ x: [Float]) -> Int { x.withUnsafeBufferPointer { argmax($0, level: level) } }
        var state: UInt64 = 7
        for count in [0, 1, 5, 16, 17, 33, 99_587] {
            var x: [Float] = (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int(state >> 40) % 1000) / 10   // many ties
            }
            #expect(ours(x) == scan(x), "\(count)")
            guard count > 2 else { continue }
            x[count / 2] = .nan
            #expect(ours(x) == scan(x), "NaN inside, \(count)")
            x[count - 1] = 1000
            #expect(ours(x) == count - 1, "largest last, \(count)")
            x[0] = .nan
            #expect(ours(x) == 0, "NaN first, \(count)")
        }
        #expect(ours([-.infinity, -.infinity]) == 0)
        #expect(ours([0, -0.0, 0]) == 0 && ours([-0.0, 0]) == 0)
    }

    @Test(arguments: KernelLevel.allCases) func geluKernelMatchesDoublePrecisionErf(level: KernelLevel) {
        let x: [Float] = stride(from: -15.0, to: 15.0, by: 0.0173).map { Float($0) } + [0, -0.0, 1]
        var y = x
        y.withUnsafeMutableBufferPointer { geluInPlace(UnsafeMutableBufferPointer(rebasing: $0[0..<1000]), level: level)
                                           geluInPlace(UnsafeMutableBufferPointer(rebasing: $0[1000...]), level: level) }
        var worst = 0.0
        for (v, out) in zip(x, y) {
            let ref = 0.5 * Double(v) * (1 + erf(Double(v) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(out) - ref) / (1 + abs(ref)))
        }
        #expect(worst < 3e-7, "\(level)")
    }

    @Test func rmsNormMatches() {
        let n = 19
        let x = (0..<n).map { Float($0) * 0.3 - 2 }
        let w = (0..<n).map { 1 + Float($0) * 0.01 }
        var out = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in out.withUnsafeMutableBufferPointer {
            rmsNorm(xp, weight: wp, eps: 1e-5, into: $0) } } }
        let ms = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(n)
        for i in 0..<n {
            let ref = Double(w[i]) * Double(x[i]) / (ms + 1e-5).squareRoot()
            #expect(abs(Double(out[i]) - ref) < 1e-5 * (1 + abs(ref)))
        }
    }

    @Test func ropeRotatesHalves() {
        var x: [Float] = [1, 2, 3, 4]
        let c: [Float] = [0.5, 0.25], s: [Float] = [0.75, 1]
        c.withUnsafeBufferPointer { cp in s.withUnsafeBufferPointer { sp in x.withUnsafeMutableBufferPointer {
            applyRope($0, cos: cp, sin: sp) } } }
        // out[i] = x[i]·cos − x[i+2]·sin, out[i+2] = x[i+2]·cos + x[i]·sin
        let expected: [Float] = [-1.75, -3.5, 2.25, 3]
        #expect(x == expected)
    }
}
