import Testing
@testable import Llama

/// A sequence that shares a `PrefixCache`'s positions by reference computes exactly what it computed when those
/// positions were its own (fed as a chunk of their own first, which is how the prefix cache computes them), and
/// holds only the positions after them.
@Suite struct SharedPrefixTests {
    static func ids(_ count: Int, seed: Int, vocab: Int) -> [Int] {
        BatchInvariantForwardTests.ids(count, seed: seed, vocab: vocab)
    }

    /// Suffixes of 3 rows (attention loops) and 40 rows (attention GEMM, gathering the shared keys), batched
    /// together, then decoding steps and a teacher-forced 20-row chunk: every logits row bit-identical.
    @Test(arguments: ["mha-f32-untied-4x", "gqa-bf16-tied-5x", "llama3rope-f32-4x"])
    func sharedPrefixRowsEqualOwnedPrefixRows(model name: String) throws {
        let model = try Fixtures.model(name)
        let vocab = model.config.vocabSize
        let prefixTokens = Self.ids(37, seed: 1, vocab: vocab)
        let prefix = try PrefixCache(model: model, tokens: prefixTokens)
        let suffixes = [Self.ids(3, seed: 2, vocab: vocab), Self.ids(40, seed: 3, vocab: vocab)]
        let steps = [suffixes] + [1, 1, 20, 1].enumerated().map { k, n in
            suffixes.indices.map { Self.ids(n, seed: 10 * k + $0 + 4, vocab: vocab) }
        }
        let own = steps.map { step in step.map(\.count).max()! }.reduce(0, +)

        // Reference: each sequence owns its prefix positions, computed as the prefix cache computes them.
        var owned: [[[[Float]]]] = []  // [sequence][step] -> rows
        for s in suffixes.indices {
            let cache = model.makeCache(batch: 1, capacity: prefixTokens.count + own)
            _ = try model.forward([SequenceChunk(sequence: 0, tokens: prefixTokens)], cache: cache, logits: .none)
            owned.append(try steps.map { step in
                try model.forward([SequenceChunk(sequence: 0, tokens: step[s])], cache: cache, logits: .all)
            })
        }

        let cache = model.makeCache(batch: suffixes.count, capacity: own)
        for s in suffixes.indices { cache.share(prefixOf: prefix.cache, sequence: 0, count: prefixTokens.count, into: s) }
        for (k, step) in steps.enumerated() {
            let together = try model.forward(step.indices.map { SequenceChunk(sequence: $0, tokens: step[$0]) },
                                              cache: cache, logits: .all)
            #expect(together == owned[0][k] + owned[1][k], "\(name): step \(k)")
        }
        #expect(cache.lengths == suffixes.indices.map { s in prefixTokens.count + steps.reduce(0) { $0 + $1[s].count } })
        #expect(cache.byteCount == suffixes.count * own * cache.bytesPerPosition)
    }

    /// Short pieces of many sequences (suffixes under 16 rows, decoding steps) share attention blocks by prefix: 7
    /// sequences on one prefix (more rows than one block takes), 3 on another, 2 with none, fed together. Every
    /// logits row is bit-identical to its sequence fed alone.
    @Test(arguments: ["mha-f32-untied-4x", "gqa-bf16-tied-5x"])
    func piecesGroupedByPrefixEqualEachAlone(model name: String) throws {
        let model = try Fixtures.model(name)
        let vocab = model.config.vocabSize
        let prefixes = [try PrefixCache(model: model, tokens: Self.ids(37, seed: 1, vocab: vocab)),
                        try PrefixCache(model: model, tokens: Self.ids(21, seed: 2, vocab: vocab))]
        let prefixOf: [Int?] = [0, 1, 0, 0, nil, 1, 0, 0, 1, nil, 0, 0]
        let steps: [[[Int]]] = [prefixOf.indices.map { Self.ids(15 - $0 % 5, seed: 10 + $0, vocab: vocab) }]
            + (0..<3).map { k in prefixOf.indices.map { Self.ids(1, seed: 100 * k + $0, vocab: vocab) } }
        let own = 40
        func attach(_ cache: KVCache, slot: Int, sequence s: Int) {
            guard let p = prefixOf[s] else { return }
            cache.share(prefixOf: prefixes[p].cache, sequence: 0, count: prefixes[p].tokens.count, into: slot)
        }
        let alone: [[[[Float]]]] = try prefixOf.indices.map { s in  // [sequence][step] -> rows
            let cache = model.makeCache(batch: 1, capacity: own)
            attach(cache, slot: 0, sequence: s)
            return try steps.map { try model.forward([SequenceChunk(sequence: 0, tokens: $0[s])], cache: cache, logits: .all) }
        }
        let cache = model.makeCache(batch: prefixOf.count, capacity: own)
        for s in prefixOf.indices { attach(cache, slot: s, sequence: s) }
        for (k, step) in steps.enumerated() {
            let together = try model.forward(step.indices.map { SequenceChunk(sequence: $0, tokens: step[$0]) },
                                              cache: cache, logits: .all)
            #expect(together == prefixOf.indices.flatMap { alone[$0][k] }, "\(name): step \(k)")
        }
    }

    /// The slot holds its own positions only; the shared ones are the prefix cache's memory, not a copy.
    @Test func slotHoldsNoCopyOfThePrefix() throws {
        let model = try Fixtures.model("gqa-bf16-tied-5x")
        let prefix = try PrefixCache(model: model, tokens: Self.ids(50, seed: 1, vocab: model.config.vocabSize))
        let cache = model.makeCache(batch: 2, capacity: 8)
        cache.share(prefixOf: prefix.cache, sequence: 0, count: 30, into: 1)
        #expect(cache.byteCount == 2 * 8 * cache.bytesPerPosition)
        #expect(prefix.cache.byteCount == 50 * cache.bytesPerPosition)
        #expect(cache.lengths == [0, 30] && cache.sharedLength(1) == 30)
        for layer in 0..<model.config.numLayers {
            for head in 0..<model.config.numKVHeads {
                let rows = cache.rows(1, layer: layer, head: head), source = prefix.cache.rows(0, layer: layer, head: head)
                #expect(rows.sharedKeys == UnsafePointer(source.keys) && rows.sharedValues == UnsafePointer(source.values))
            }
        }
        // Capacity counts own positions: 8 fit after the 30 shared ones, 9 do not.
        _ = try model.forward([SequenceChunk(sequence: 1, tokens: Self.ids(8, seed: 2, vocab: model.config.vocabSize))],
                              cache: cache, logits: .none)
        #expect(throws: LlamaError.self) {
            try model.forward([SequenceChunk(sequence: 1, tokens: [3])], cache: cache, logits: .none)
        }
        // A reset forgets the shared prefix too.
        cache.reset(sequence: 1)
        #expect(cache.sharedLength(1) == 0 && cache.lengths[1] == 0)
    }
}
