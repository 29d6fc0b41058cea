import Testing
@testable import Trajectory

@Suite struct WindowTests {
    @Test func trailingWindowMembers() {
        let w = CheckpointWindow(size: 3)
        #expect(w.members(at: 2, count: 5) == 0..<3)
        #expect(w.members(at: 4, count: 5) == 2..<5)
        #expect(w.members(at: 1, count: 5) == nil)  // drop
        #expect(w.definedPositions(count: 5) == [2, 3, 4])
        let t = CheckpointWindow(size: 3, partial: .truncate)
        #expect(t.members(at: 1, count: 5) == 0..<2)
        #expect(t.members(at: 0, count: 5) == 0..<1)
    }

    @Test func centredWindowPutsTheExtraMemberEarlier() {
        // n = 4: t − ⌈3/2⌉ … t + ⌊3/2⌋ = t−2 … t+1
        let four = CheckpointWindow(size: 4, alignment: .centred)
        #expect(four.members(at: 2, count: 5) == 0..<4)
        #expect(four.members(at: 4, count: 5) == nil)
        // n = 3: t−1 … t+1
        let three = CheckpointWindow(size: 3, alignment: .centred)
        #expect(three.members(at: 1, count: 5) == 0..<3)
        #expect(three.definedPositions(count: 5) == [1, 2, 3])
        // n = 2: t−1 … t
        #expect(CheckpointWindow(size: 2, alignment: .centred).members(at: 3, count: 5) == 2..<4)
        #expect(CheckpointWindow(size: 1, alignment: .centred).members(at: 3, count: 5) == 3..<4)
    }

    @Test func analysisSpanIsTheFinalFifthInExactArithmetic() throws {
        let steps23 = Array(1...23)
        // Spec §7.2: M = 23 → k = ⌈4.6⌉ = 5 → positions 19…23 (1-based).
        #expect(AnalysisSpan.finalFifth.positions(steps: steps23) == 18..<23)
        #expect(AnalysisSpan.finalFifth.positions(steps: [1, 2, 3]) == 1..<3)  // k = max(2, 1)
        #expect(AnalysisSpan.finalFifth.positions(steps: [1]) == nil)
        // 0.07 · 100 must give 7, not 8.
        let p = try AnalysisSpan.parseFraction("0.07")
        #expect(p == .lastFraction(numerator: 7, denominator: 100))
        #expect(p.positions(steps: Array(0..<100)) == 93..<100)
        #expect(try AnalysisSpan.parseFraction("1").positions(steps: Array(0..<10)) == 0..<10)
        #expect(try AnalysisSpan.parseFraction(".5") == .lastFraction(numerator: 5, denominator: 10))
        for bad in ["0", "1.5", "abc", "", ".", "-0.2", "0.2x"] {
            #expect(throws: TrajectoryError.self) { try AnalysisSpan.parseFraction(bad) }
        }
        #expect(AnalysisSpan.steps(200...400).positions(steps: [100, 200, 300, 400, 500]) == 1..<4)
        #expect(AnalysisSpan.lastCount(3).positions(steps: [1, 2, 3, 4]) == 1..<4)
    }

    @Test func windowSizesAreSortedDistinctAndAtLeastOne() throws {
        #expect(try WindowSizes(parsing: "10, 2,5,2").sizes == [2, 5, 10])
        #expect(try WindowSizes(parsing: "1").description == "1")
        #expect(WindowSizes([20, 1, 5]).description == "1,5,20")
        for bad in ["", "0", "2,x", "-1", "2;5"] {
            #expect(throws: TrajectoryError.self, "\(bad)") { try WindowSizes(parsing: bad) }
        }
    }

    /// `stability --last N` needs two checkpoints, whatever else selects the span.
    @Test func lastCountSpanNeedsTwoCheckpoints() throws {
        #expect(try StabilityRequest.span(steps: nil, last: 3, lastFraction: "0.2") == .lastCount(3))
        #expect(try StabilityRequest.span(steps: nil, last: nil, lastFraction: "all") == .all)
        for steps in [nil, try StepRange(parsing: "10:20")] {
            let error = try #require(throws: TrajectoryError.self) {
                try StabilityRequest.span(steps: steps, last: 1, lastFraction: "0.2")
            }
            #expect(error.description == "--last: needs at least 2 checkpoints")
        }
    }
}
