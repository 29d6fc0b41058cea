/// SplitMix64: a tiny, fully specified generator, so that a seed gives the same world on every platform and
/// Swift version (the standard library's shuffling algorithms are not promised to stay the same).
public struct WorldRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// An independent stream for one purpose ("world", "corpus", …) of the same seed.
    public init(seed: UInt64, stream: String) {
        var root = WorldRandom(seed: seed)
        self = root.fork(stream)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n (n > 0), by rejection so there is no modulo bias.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0, "below(0)")
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    public mutating func chance(_ p: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < p
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Fisher-Yates, written out so the order depends only on this generator.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }

    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var copy = items
        shuffle(&copy)
        return copy
    }

    /// k distinct elements, in random order.
    public mutating func sample<T>(_ items: [T], _ k: Int) -> [T] {
        Array(shuffled(items).prefix(k))
    }

    /// A child generator for one purpose, so adding draws in one generator does not shift another's stream.
    public mutating func fork(_ label: String) -> WorldRandom {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return WorldRandom(seed: next() ^ h)
    }
}
