/// Averages the weights of windows of checkpoints, streaming tensor by tensor.
///
/// Order of work: for each tensor name, for each job in position order. Every output is open at once, so the memory
/// held is one fp64 accumulator, one fp32 read buffer and one fp32 output buffer, each the size of the largest tensor
/// (plus the memory-mapped inputs, which the OS pages in and out).
///
/// Cost over a trajectory: with uniform weights the accumulator slides: entering members are added and leaving
/// members subtracted, so each checkpoint is read at most twice (once entering, once leaving) whatever the window
/// size; a job whose window does not overlap the previous one restarts the sum. Non-uniform weights recompute each
/// window from its members (each checkpoint read up to n times). The fp64 running sum of fp32-representable values
/// drifts by far less than one fp32 ulp over thousands of steps; a window of one member is copied bit for bit.
public final class Averager {
    public struct Statistics: Sendable, Equatable {
        /// Tensor reads per input position.
        public var readsPerCheckpoint: [Int: Int] = [:]
        public var bytesRead = 0
        public var largestTensor = 0
    }

    private let sources: [any AveragingSource]
    private let weights: AveragingWeights
    public private(set) var statistics = Statistics()

    public init(sources: [any AveragingSource], weights: AveragingWeights = .uniform) {
        self.sources = sources
        self.weights = weights
    }

    /// Checks that every member shares the first member's tensor names, shapes and dtypes; returns their layouts.
    public func validate(_ jobs: [AveragingJob]) throws -> [TensorLayout] {
        let used = Set(jobs.flatMap { Array($0.members) }).sorted()
        guard let first = used.first else { return [] }
        guard used.allSatisfy({ $0 < sources.count }) else {
            throw TrajectoryError.tooFewCheckpoints(needed: (used.last ?? 0) + 1, found: sources.count,
                                                    context: "averaging")
        }
        let reference = sources[first]
        let layouts = try reference.tensorNames.map { try reference.layout($0) }
        for p in used.dropFirst() {
            let other = sources[p]
            let names = other.tensorNames
            if let missing = reference.tensorNames.first(where: { !names.contains($0) }) {
                throw TrajectoryError.mismatch(file: other.location, tensor: missing, field: "presence",
                                               expected: "present", found: "missing")
            }
            if let extra = names.first(where: { !reference.tensorNames.contains($0) }) {
                throw TrajectoryError.mismatch(file: other.location, tensor: extra, field: "presence",
                                               expected: "absent", found: "present")
            }
            for layout in layouts {
                let theirs = try other.layout(layout.name)
                if theirs.shape != layout.shape {
                    throw TrajectoryError.mismatch(file: other.location, tensor: layout.name, field: "shape",
                                                   expected: "\(layout.shape)", found: "\(theirs.shape)")
                }
                if theirs.dtype != layout.dtype {
                    throw TrajectoryError.mismatch(file: other.location, tensor: layout.name, field: "dtype",
                                                   expected: layout.dtype.rawValue, found: theirs.dtype.rawValue)
                }
            }
        }
        return layouts
    }

    /// Runs every job; `sinks[i]` receives job i's tensors in `layouts` order. `outputDType` nil keeps each tensor's
    /// source dtype. Sinks are finished only after every tensor was written.
    public func run(_ jobs: [AveragingJob], layouts: [TensorLayout], outputDType: AveragingDType?,
                    sinks: [any AveragingSink]) throws {
        precondition(jobs.count == sinks.count, "one sink per job")
        let ordered = jobs.indices.sorted { jobs[$0].members.lowerBound < jobs[$1].members.lowerBound }
        let largest = layouts.map(\.count).max() ?? 0
        statistics.largestTensor = largest
        let accumulator = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, largest))
        let input = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, largest))
        let output = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, largest))
        defer { accumulator.deallocate(); input.deallocate(); output.deallocate() }

        for layout in layouts {
            let n = layout.count
            let acc = UnsafeMutableBufferPointer(rebasing: accumulator[0..<n])
            let inBuf = UnsafeMutableBufferPointer(rebasing: input[0..<n])
            let outBuf = UnsafeMutableBufferPointer(rebasing: output[0..<n])
            let rounding = outputDType ?? layout.dtype
            var summed: Range<Int> = 0..<0   // members currently in the sliding accumulator
            for j in ordered {
                let members = jobs[j].members
                if members.count == 1 {
                    try read(members.lowerBound, layout, into: inBuf)
                    try sinks[j].append(layout.name, values: UnsafeBufferPointer(inBuf))
                    continue
                }
                if weights == .uniform {
                    if summed.isEmpty || members.lowerBound < summed.lowerBound
                        || members.lowerBound >= summed.upperBound || members.upperBound < summed.upperBound {
                        fill(acc, 0)
                        summed = members.lowerBound..<members.lowerBound
                    }
                    for p in summed.lowerBound..<members.lowerBound {
                        try read(p, layout, into: inBuf)
                        accumulate(acc, inBuf, scale: -1)
                    }
                    for p in max(summed.upperBound, members.lowerBound)..<members.upperBound {
                        try read(p, layout, into: inBuf)
                        accumulate(acc, inBuf, scale: 1)
                    }
                    summed = members
                    finishAverage(acc, divisor: Double(members.count), into: outBuf, dtype: rounding)
                } else {
                    fill(acc, 0)
                    for (p, w) in zip(members, weights.weights(count: members.count)) {
                        try read(p, layout, into: inBuf)
                        accumulate(acc, inBuf, scale: w)
                    }
                    finishAverage(acc, divisor: 1, into: outBuf, dtype: rounding)
                }
                try sinks[j].append(layout.name, values: UnsafeBufferPointer(outBuf))
            }
        }
        for sink in sinks { try sink.finish() }
    }

    private func read(_ position: Int, _ layout: TensorLayout, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        try sources[position].read(layout.name, into: buffer)
        statistics.readsPerCheckpoint[position, default: 0] += 1
        statistics.bytesRead += layout.count * (layout.dtype == .f32 ? 4 : 2)
    }

    private func fill(_ acc: UnsafeMutableBufferPointer<Double>, _ value: Double) {
        for i in acc.indices { acc[i] = value }
    }

    private func accumulate(_ acc: UnsafeMutableBufferPointer<Double>, _ x: UnsafeMutableBufferPointer<Float>,
                            scale: Double) {
        if scale == 1 {
            for i in acc.indices { acc[i] += Double(x[i]) }
        } else if scale == -1 {
            for i in acc.indices { acc[i] -= Double(x[i]) }
        } else {
            for i in acc.indices { acc[i] += scale * Double(x[i]) }
        }
    }

    /// acc / divisor (a division, not a multiplication by 1/n, so a uniform mean is one fp64 rounding), rounded once to the output dtype: fp32 directly; bf16/f16 through round-to-odd fp32, which the
    /// sink's round-to-nearest-even then turns into the correctly rounded value (no double-rounding error).
    private func finishAverage(_ acc: UnsafeMutableBufferPointer<Double>, divisor: Double,
                               into out: UnsafeMutableBufferPointer<Float>, dtype: AveragingDType) {
        if dtype == .f32 {
            for i in acc.indices { out[i] = Float(acc[i] / divisor) }
        } else {
            for i in acc.indices { out[i] = RoundToOdd.float(acc[i] / divisor) }
        }
    }
}

/// fp64 → fp32 with round-to-odd: truncate toward zero, then set the last bit when inexact. A second rounding to
/// any format with at least two bits less precision is then correct.
enum RoundToOdd {
    @inline(__always)
    static func float(_ d: Double) -> Float {
        var f = Float(d)
        guard f.isFinite, Double(f) != d else { return f }
        if abs(Double(f)) > abs(d) { f = Float(bitPattern: f.bitPattern &- 1) }  // toward zero
        return Float(bitPattern: f.bitPattern | 1)
    }
}
