import Foundation
import Testing
@testable import Llama

/// A sequence's logits must not depend on what shares its forward call (issue #11): each chunk, fed alone, gives
/// bit-identical rows to the same chunk fed beside others: short and long prompts, decoding rows and a chunk
/// longer than a pass, at every step.
@Suite struct BatchInvariantForwardTests {
    /// Deterministic token ids below `vocab`.
    static func ids(_ count: Int, seed: Int, vocab: Int) -> [Int] {
        (0..<count).map { (($0 + 1) * 7919 + seed * 104_729) % (vocab - 3) + 3 }
    }

    @Test(arguments: ["mha-f32-untied-4x", "gqa-bf16-tied-5x"])
    func rowsAreIdenticalAloneAndBatched(model name: String) throws {
        let model = try Fixtures.model(name)
        model.maxRowsPerPass = 48  // so that the 70-token prompt spans passes shared with the other sequences
        let vocab = model.config.vocabSize
        // Prompt lengths: short, long (two attention blocks), one-token, longer than a pass.
        let prompts = [5, 30, 1, 70, 12, 13].enumerated().map { Self.ids($1, seed: $0, vocab: vocab) }
        let steps = [prompts] + (0..<3).map { step in prompts.indices.map { Self.ids(step == 1 ? 14 : 1, seed: 50 + 10 * step + $0, vocab: vocab) } }
        let capacity = steps.map { step in step.map { $0.count }.max() ?? 0 }.reduce(0, +)

        // Some sequences get logits for their last few rows (a prompt with its continuation, as in continuous
        // batching; 30 rows of the 70-token prompt span two passes), the others for their last row only.
        let wantedAt = { (step: Int) -> [Int: Int] in step % 2 == 0 ? [1: 1000, 3: 30] : [0: 2, 4: 1000, 5: 1] }
        var alone: [[[[Float]]]] = []  // [sequence][step] -> rows
        for s in prompts.indices {
            let cache = model.makeCache(batch: 1, capacity: capacity)
            alone.append(try steps.indices.map { k in
                let all = try model.forward([SequenceChunk(sequence: 0, tokens: steps[k][s])], cache: cache, logits: .all)
                return Array(all.suffix(wantedAt(k)[s] ?? 1))
            })
        }
        let cache = model.makeCache(batch: prompts.count, capacity: capacity)
        for (k, step) in steps.enumerated() {
            let together = try model.forward(step.indices.reversed().map { SequenceChunk(sequence: $0, tokens: step[$0]) },
                                              cache: cache, logits: .lastRows(counts: wantedAt(k)))
            var row = 0
            for s in step.indices.reversed() {
                let expected = alone[s][k]
                let got = Array(together[row..<(row + expected.count)])
                row += expected.count
                #expect(got == expected, "\(name): sequence \(s) at step \(k)")
            }
            #expect(row == together.count)
        }
    }

    /// Attention computes every row alone too, so a prompt gives the same logits bits fed whole, in pieces, or one
    /// token at a time (as decoding feeds it): teacher-forced scores equal the log-probs of generation.
    @Test(arguments: ["mha-f32-untied-4x", "gqa-bf16-tied-5x", "llama3rope-f32-4x"])
    func rowsAreIdenticalWholeInPiecesAndTokenByToken(model name: String) throws {
        let model = try Fixtures.model(name)
        let prompt = Self.ids(70, seed: 9, vocab: model.config.vocabSize)  // more than one attention block
        func logits(feeding sizes: [Int]) throws -> [[Float]] {
            let cache = model.makeCache(batch: 1, capacity: prompt.count)
            var rows: [[Float]] = [], start = 0
            for size in sizes {
                rows += try model.forward([SequenceChunk(sequence: 0, tokens: Array(prompt[start..<(start + size)]))],
                                          cache: cache, logits: .all)
                start += size
            }
            return rows
        }
        let whole = try logits(feeding: [70])
        #expect(try logits(feeding: [5, 64, 1]) == whole, "\(name): in pieces")
        #expect(try logits(feeding: [Int](repeating: 1, count: 70)) == whole, "\(name): token by token")
    }
}
