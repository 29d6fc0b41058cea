/// Keys (after RoPE) and values of every layer for a batch of sequences. Each sequence owns one buffer laid out
/// `[layer][K, V][kvHead]`, each a block of `capacity · headDim` floats: keys transposed, `[headDim][capacity]`, so
/// that Q·Kᵀ is a plain product with one position per output lane; values `[capacity][headDim]`, for P·V.
///
/// A sequence may start with a shared prefix: positions `0..<n` read, never written, from another cache (a
/// `PrefixCache`'s), held by reference. Its own buffer then holds only the positions after them, so a prompt that
/// starts with the few-shot prefix costs memory for its suffix and generation only.
public final class KVCache: @unchecked Sendable {
    public let numLayers: Int
    public let numKVHeads: Int
    public let headDim: Int
    /// Positions each sequence can hold in its own buffer (after its shared prefix, if any).
    public private(set) var capacities: [Int]
    /// Positions filled so far, per sequence (its shared prefix included).
    public internal(set) var lengths: [Int]
    private var storage: [FloatStorage]
    private var shared: [SharedPrefix?]

    /// The first `count` positions of `cache`'s sequence `sequence`, read in place.
    private struct SharedPrefix {
        let cache: KVCache
        let sequence: Int
        let count: Int
    }

    init(numLayers: Int, numKVHeads: Int, headDim: Int, capacities: [Int]) {
        self.numLayers = numLayers
        self.numKVHeads = numKVHeads
        self.headDim = headDim
        self.capacities = capacities
        lengths = [Int](repeating: 0, count: capacities.count)
        shared = [SharedPrefix?](repeating: nil, count: capacities.count)
        storage = []
        storage = capacities.map(buffer(positions:))
    }

    /// Floats one position of one sequence takes: keys and values of every layer and KV head.
    private var floatsPerPosition: Int { numLayers * 2 * numKVHeads * headDim }

    /// A sequence's own buffer, for `positions` positions.
    private func buffer(positions: Int) -> FloatStorage { FloatStorage(count: floatsPerPosition * max(positions, 0)) }

    public var batch: Int { capacities.count }

    /// Bytes held by the cache (shared prefixes belong to their own cache and are not counted).
    public var byteCount: Int { storage.reduce(0) { $0 + $1.count * MemoryLayout<Float>.size } }

    /// Bytes one position of one sequence takes (keys and values of every layer).
    public var bytesPerPosition: Int { floatsPerPosition * MemoryLayout<Float>.size }

    /// Positions of `sequence` read from a shared prefix (0 without one).
    public func sharedLength(_ sequence: Int) -> Int { shared[sequence]?.count ?? 0 }

    /// What identifies a shared prefix: sequences with equal keys read the same positions of the same cache.
    struct SharedPrefixKey: Hashable {
        let cache: ObjectIdentifier
        let sequence: Int
        let count: Int
    }

    /// The shared prefix `sequence` starts from, if any.
    func sharedPrefixKey(_ sequence: Int) -> SharedPrefixKey? {
        shared[sequence].map { SharedPrefixKey(cache: ObjectIdentifier($0.cache), sequence: $0.sequence, count: $0.count) }
    }

    /// Positions of `sequence` held in its own buffer.
    func ownLength(_ sequence: Int) -> Int { lengths[sequence] - sharedLength(sequence) }

    /// Forgets the contents of one sequence, its shared prefix included (its buffer is reused).
    public func reset(sequence: Int) {
        lengths[sequence] = 0
        shared[sequence] = nil
    }

    /// Gives the empty `sequence` room for at least `capacity` positions of its own, replacing its buffer if it is
    /// smaller (a continuous batch learns each request's length only when the request enters its slot).
    func reserve(sequence: Int, capacity: Int) {
        precondition(lengths[sequence] == 0)
        guard capacity > capacities[sequence] else { return }
        capacities[sequence] = capacity
        storage[sequence] = buffer(positions: capacity)
    }

    /// Keeps the first `count` positions of one sequence (later ones are overwritten by what is fed next).
    func reset(sequence: Int, keeping count: Int) {
        precondition(count <= lengths[sequence] && count >= sharedLength(sequence))
        lengths[sequence] = count
    }

    /// Makes the first `count` positions of `source`'s sequence `from` the start of this cache's (empty) sequence
    /// `to`, by reference: nothing is copied, and `source` must not change while `to` uses it.
    func share(prefixOf source: KVCache, sequence from: Int, count: Int, into to: Int) {
        precondition(lengths[to] == 0 && count <= source.lengths[from] && source.sharedLength(from) == 0)
        precondition(source.numLayers == numLayers && source.numKVHeads == numKVHeads && source.headDim == headDim)
        shared[to] = count > 0 ? SharedPrefix(cache: source, sequence: from, count: count) : nil
        lengths[to] = count
    }

    /// Where one layer and KV head of `sequence` keeps its keys and values.
    @inline(__always)
    func rows(_ sequence: Int, layer: Int, head: Int) -> KVRows {
        let capacity = capacities[sequence]
        let own = storage[sequence].pointer + ((layer * 2) * numKVHeads + head) * capacity * headDim
        let ownValues = own + numKVHeads * capacity * headDim
        guard let prefix = shared[sequence] else {
            return KVRows(sharedCount: 0, sharedKeys: own, sharedKeyStride: capacity, sharedValues: ownValues,
                          keys: own, keyStride: capacity, values: ownValues)
        }
        let source = prefix.cache.rows(prefix.sequence, layer: layer, head: head)
        return KVRows(sharedCount: prefix.count, sharedKeys: source.keys, sharedKeyStride: source.keyStride,
                      sharedValues: source.values, keys: own, keyStride: capacity, values: ownValues)
    }
}

/// The keys and values of one sequence, layer and KV head: positions `0..<sharedCount` at `sharedKeys`/`sharedValues`
/// (read-only, another cache's), position `sharedCount + i` at index `i` of `keys`/`values`. Keys are transposed:
/// dimension `d` of index `i` is at `d · keyStride + i`; values are rows of `headDim` floats.
struct KVRows {
    let sharedCount: Int
    let sharedKeys: UnsafePointer<Float>
    let sharedKeyStride: Int
    let sharedValues: UnsafePointer<Float>
    let keys: UnsafeMutablePointer<Float>
    let keyStride: Int
    let values: UnsafeMutablePointer<Float>
}
