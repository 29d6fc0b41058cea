import Testing
@testable import Comet

/// Encoder batches: consecutive, in order, within the sequence and token bounds (a longer sequence alone).
@Test func batchesKeepOrderAndBounds() {
    let lengths = [3, 5, 16_000, 400, 16_384, 2] + Array(repeating: 7, count: 300)
    let ids = lengths.enumerated().map { i, n in Array(repeating: i, count: n) }
    let batches = CometModel.batches(ids)
    #expect(batches.flatMap { $0 } == ids)
    for batch in batches {
        #expect(!batch.isEmpty && batch.count <= CometModel.batchSequences)
        #expect(batch.count == 1 || batch.reduce(0) { $0 + $1.count } <= CometModel.batchTokens)
    }
    #expect(Array(batches.map(\.count).prefix(4)) == [3, 1, 1, 128])   // [3, 5, 16000], [400], [16384], [2, 7, ...]
    #expect(CometModel.batches([]).isEmpty)
}
