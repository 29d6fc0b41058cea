import CKernels

/// Memory read bandwidth as `kasane doctor` reports it: all pool threads summing disjoint slices of a buffer much
/// larger than the caches, and the row-dot BF16 kernel (one activation row, as in batch-1 decoding) reading a
/// weight matrix of the same size. Decoding is bound by the second; it should come close to the first.
public struct ReadBandwidthMeasurement: Sendable {
    public var threads: Int
    public var bytes: Int
    /// Plain streaming read, GB/s.
    public var readGBps: Double
    /// `rowDotGemm` with one row against a BF16 matrix, GB/s of weights read.
    public var bf16KernelGBps: Double
}

public func measureReadBandwidth(megabytes: Int = 512, seconds: Double = 0.5) -> ReadBandwidthMeasurement {
    let bytes = max(1, megabytes) << 20
    let floats = bytes / 4
    let buffer = OwnedBytes(byteCount: bytes)
    let data = buffer.pointer.bindMemory(to: Float.self, capacity: floats)
    let threads = Parallel.threadCount
    parallelFor(0..<threads) { t in  // first touch from the threads that read it
        let lo = floats / threads * t, hi = t == threads - 1 ? floats : lo + floats / threads
        for i in lo..<hi { data[i] = Float(i & 1023) * 1e-3 }
    }
    let sink = UnsafeMutablePointer<Float>.allocate(capacity: threads)
    defer { sink.deallocate() }
    let read = rate(bytes: bytes, seconds: seconds) {
        parallelFor(0..<threads) { t in
            let lo = floats / threads * t, hi = t == threads - 1 ? floats : lo + floats / threads
            sink[t] = kasane_read_sum(KernelLevel.active.rawValue, data + lo, hi - lo)
        }
    }
    // The same bytes as a BF16 matrix [rows, 4096].
    let cols = 4096
    let w = WeightMatrix(dtype: .bf16, cols: cols, blocks: [.init(base: UnsafeRawPointer(data), rows: bytes / (2 * cols))],
                         owner: buffer)
    let x = [Float](repeating: 1e-3, count: cols)
    let y = UnsafeMutablePointer<Float>.allocate(capacity: w.rows)
    defer { y.deallocate() }
    let kernel = rate(bytes: w.byteCount, seconds: seconds) {
        rowDotGemm(m: 1, a: x, lda: cols, w: w, accumulate: false, c: y, ldc: w.rows)
    }
    return ReadBandwidthMeasurement(threads: threads, bytes: bytes, readGBps: read, bf16KernelGBps: kernel)
}

/// GB/s of `body`, which reads `bytes`.
private func rate(bytes: Int, seconds: Double, _ body: () -> Void) -> Double {
    let (runs, elapsed) = timedRepeat(seconds: seconds, body)
    return Double(bytes) * Double(runs) / elapsed / 1e9
}
