/// Keys (after RoPE) and values of every layer for a batch of sequences. Each sequence owns one buffer laid out
/// `[layer][K, V][kvHead][capacity][headDim]`, so the keys of one head are contiguous for the attention dot products.
public final class KVCache: @unchecked Sendable {
    public let numLayers: Int
    public let numKVHeads: Int
    public let headDim: Int
    /// Positions each sequence can hold.
    public let capacities: [Int]
    /// Positions filled so far, per sequence.
    public internal(set) var lengths: [Int]
    private let storage: [FloatStorage]

    init(numLayers: Int, numKVHeads: Int, headDim: Int, capacities: [Int]) {
        self.numLayers = numLayers
        self.numKVHeads = numKVHeads
        self.headDim = headDim
        self.capacities = capacities
        lengths = [Int](repeating: 0, count: capacities.count)
        storage = capacities.map { FloatStorage(count: numLayers * 2 * numKVHeads * max($0, 0) * headDim) }
    }

    public var batch: Int { capacities.count }

    /// Bytes held by the cache.
    public var byteCount: Int { storage.reduce(0) { $0 + $1.count * MemoryLayout<Float>.size } }

    /// Forgets the contents of one sequence (its buffer is reused).
    public func reset(sequence: Int) { lengths[sequence] = 0 }

    /// Keeps the first `count` positions of one sequence (later ones are overwritten by what is fed next).
    func reset(sequence: Int, keeping count: Int) {
        precondition(count <= lengths[sequence])
        lengths[sequence] = count
    }

    @inline(__always)
    func keys(_ sequence: Int, layer: Int, head: Int) -> UnsafeMutablePointer<Float> {
        storage[sequence].pointer + ((layer * 2) * numKVHeads + head) * capacities[sequence] * headDim
    }

    @inline(__always)
    func values(_ sequence: Int, layer: Int, head: Int) -> UnsafeMutablePointer<Float> {
        storage[sequence].pointer + ((layer * 2 + 1) * numKVHeads + head) * capacities[sequence] * headDim
    }

    /// Copies the first `count` positions of `source`'s sequence `from` into this cache's sequence `to`.
    func copyPrefix(from source: KVCache, sequence from: Int, into to: Int, count: Int) {
        precondition(count <= source.lengths[from] && count <= capacities[to])
        let n = count * headDim
        for layer in 0..<numLayers {
            for head in 0..<numKVHeads {
                keys(to, layer: layer, head: head).update(from: source.keys(from, layer: layer, head: head), count: n)
                values(to, layer: layer, head: head).update(from: source.values(from, layer: layer, head: head), count: n)
            }
        }
        lengths[to] = count
    }
}
