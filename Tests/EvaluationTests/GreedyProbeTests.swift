import Testing
@testable import Evaluation

/// `kasane generate`'s limits are the probe's: refused when it is made, before a model path is even looked at.
@Suite struct GreedyProbeTests {
    @Test func refusesANegativeTokenBudgetAndBatchesOrRunsOutOfRange() {
        func probe(maxNewTokens: Int = 4, batch: Int = 1, runs: Int = 1) throws -> GreedyProbe {
            try GreedyProbe(model: "/nonexistent", prompt: .ids([1]), maxNewTokens: maxNewTokens, batch: batch,
                            ignoreEOS: false, runs: runs)
        }
        #expect(throws: EvaluationError.invalidValue(path: "--max-new-tokens", field: "max_new_tokens",
                                                     detail: "must be >= 0 (found -1)")) { try probe(maxNewTokens: -1) }
        for batch in [0, 4097] {
            #expect(throws: EvaluationError.invalidValue(path: "--batch", field: "batch",
                                                         detail: "must be in 1...4096 (found \(batch))")) {
                try probe(batch: batch)
            }
        }
        for runs in [0, 101] {
            #expect(throws: EvaluationError.invalidValue(path: "--runs", field: "runs",
                                                         detail: "must be in 1...100 (found \(runs))")) {
                try probe(runs: runs)
            }
        }
        #expect(throws: Never.self) { try probe(maxNewTokens: 0, batch: 4096, runs: 100) }
    }
}
