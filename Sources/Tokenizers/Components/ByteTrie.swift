/// A byte trie for common-prefix search over the vocabulary. Edges live in one open-addressing hash table
/// keyed by (node, byte); the root's 256 children are a direct array. Lookups allocate nothing.
struct ByteTrie: Sendable {
    private var rootChildren = [Int32](repeating: -1, count: 256)
    private var keys: [UInt32]
    private var children: [Int32]
    private var mask: Int
    /// The vocabulary id ending at each node, or -1.
    private(set) var values: [Int32] = [-1]
    private var edgeCount = 0

    init(expectedBytes: Int) {
        var cap = 1024
        while cap < expectedBytes * 2 { cap <<= 1 }
        keys = [UInt32](repeating: 0, count: cap)
        children = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    @inline(__always) private static func hash(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 24)
    }

    /// Edge key (node, byte) + 1, so that 0 marks an empty slot. Nodes stay below 2^24 (checked on insert).
    @inline(__always) private static func key(_ node: Int32, _ byte: UInt8) -> UInt32 {
        (UInt32(bitPattern: node) << 8 | UInt32(byte)) &+ 1
    }

    /// Inserts `bytes` with `id`; a later duplicate overwrites the earlier id (as tokenizers' token map does).
    /// False when the trie is full (more than 2^24 - 1 - 64 nodes): the caller reports an error.
    @discardableResult
    mutating func insert(_ bytes: [UInt8], id: Int) -> Bool {
        bytes.withUnsafeBufferPointer { insert($0, id: id) }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, id: Int) -> Bool {
        guard let first = bytes.first else { return true }
        guard values.count + bytes.count < (1 << 24) - 1 else { return false }
        var node: Int32
        if rootChildren[Int(first)] < 0 {
            rootChildren[Int(first)] = Int32(values.count)
            values.append(-1)
        }
        node = rootChildren[Int(first)]
        for b in bytes.dropFirst() {
            let key = Self.key(node, b)
            var slot = Self.hash(key) & mask
            while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
            if keys[slot] == 0 {
                keys[slot] = key
                children[slot] = Int32(values.count)
                values.append(-1)
                edgeCount += 1
                if edgeCount * 2 > keys.count { grow() }
                // The table may have been rebuilt; look the edge up again.
                node = child(of: node, byte: b)
            } else {
                node = children[slot]
            }
        }
        values[Int(node)] = Int32(id)
        return true
    }

    private mutating func grow() {
        let oldKeys = keys, oldChildren = children
        let cap = keys.count * 2
        keys = [UInt32](repeating: 0, count: cap)
        children = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for i in 0..<oldKeys.count where oldKeys[i] != 0 {
            var slot = Self.hash(oldKeys[i]) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            children[slot] = oldChildren[i]
        }
    }

    @inline(__always) func child(of node: Int32, byte: UInt8) -> Int32 {
        let key = Self.key(node, byte)
        var slot = Self.hash(key) & mask
        while true {
            let k = keys[slot]
            if k == key { return children[slot] }
            if k == 0 { return -1 }
            slot = (slot + 1) & mask
        }
    }

    /// Calls `body(length, id)` for every vocabulary entry that is a prefix of `text[start...]`.
    @inline(__always)
    func forEachPrefix(_ text: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (Int, Int) -> Void) {
        var node = rootChildren[Int(text[start])]
        var i = start + 1
        while node >= 0 {
            let v = values[Int(node)]
            if v >= 0 { body(i - start, Int(v)) }
            if i >= text.count { return }
            node = child(of: node, byte: text[i])
            i += 1
        }
    }

    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = bytes.first else { return nil }
        var node = rootChildren[Int(first)]
        var i = 1
        while node >= 0 && i < bytes.count { node = child(of: node, byte: bytes[i]); i += 1 }
        guard node >= 0, values[Int(node)] >= 0 else { return nil }
        return Int(values[Int(node)])
    }
}
