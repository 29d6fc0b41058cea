import CKernels

/// Storage types of weight rows (the values of `CKernels`' `KASANE_DTYPE_*`).
public enum WeightDType: Int32, Sendable {
    case f32 = 0, bf16 = 1, f16 = 2

    public var byteSize: Int { self == .f32 ? 4 : 2 }
}

/// A row-major weight matrix `[rows, cols]` kept in its stored dtype, as one or more blocks of contiguous rows:
/// a fused projection (q/k/v, gate/up) is the row-stack of several tensors, each used where it lies in the mapped
/// checkpoint. Kernels widen to fp32 in registers (exact for bf16 and f16) and accumulate in fp32.
public struct WeightMatrix: @unchecked Sendable {
    public struct Block: @unchecked Sendable {
        public let base: UnsafeRawPointer
        public let rows: Int
        public init(base: UnsafeRawPointer, rows: Int) {
            self.base = base
            self.rows = rows
        }
    }

    public let dtype: WeightDType
    public let cols: Int
    public let blocks: [Block]
    public let rows: Int
    /// Keeps the memory the blocks point into alive: a mapped file or an `OwnedBytes`.
    public let owner: AnyObject?

    public init(dtype: WeightDType, cols: Int, blocks: [Block], owner: AnyObject?) {
        self.dtype = dtype
        self.cols = cols
        self.blocks = blocks
        self.rows = blocks.reduce(0) { $0 + $1.rows }
        self.owner = owner
    }

    /// An fp32 matrix that owns its values (weights built in memory).
    public init(copying values: UnsafeBufferPointer<Float>, rows: Int, cols: Int) {
        precondition(values.count == rows * cols, "WeightMatrix: \(values.count) values for \(rows)x\(cols)")
        let storage = OwnedBytes(byteCount: 4 * values.count)
        if let src = values.baseAddress { storage.pointer.copyMemory(from: src, byteCount: 4 * values.count) }
        self.init(dtype: .f32, cols: cols, blocks: [Block(base: UnsafeRawPointer(storage.pointer), rows: rows)],
                  owner: storage)
    }

    public var count: Int { rows * cols }

    /// Bytes held (the figure that matters for memory).
    public var byteCount: Int { count * dtype.byteSize }

    /// Row `r` of block `b`.
    @inline(__always)
    func row(_ r: Int, of block: Block) -> UnsafeRawPointer { block.base + r * cols * dtype.byteSize }

    /// Widens row `r` to fp32 (an embedding lookup).
    public func copyRow(_ r: Int, into dst: UnsafeMutablePointer<Float>) {
        var r = r
        for block in blocks {
            if r < block.rows {
                kasane_widen(KernelLevel.active.rawValue, dtype.rawValue, row(r, of: block), cols, dst)
                return
            }
            r -= block.rows
        }
        preconditionFailure("WeightMatrix.copyRow: row out of range")
    }
}

/// An owned, 64-byte aligned allocation (weights copied out of a file, prefill panels).
public final class OwnedBytes: @unchecked Sendable {
    public let pointer: UnsafeMutableRawPointer
    public let byteCount: Int

    public init(byteCount: Int) {
        self.byteCount = byteCount
        pointer = .allocate(byteCount: max(byteCount, 1), alignment: 64)
    }

    deinit { pointer.deallocate() }
}
