import Linalg
import Llama
import SafeTensors

/// Averages windows of checkpoints one tensor at a time, in fp64, rounding once to the output dtype.
///
/// Memory: one fp64 accumulator and one fp32 read buffer, each the size of the largest tensor (plus the
/// memory-mapped inputs, which the OS pages in and out).
///
/// Cost over a trajectory: asked for one tensor at consecutive positions (as the writer does), uniform weights slide:
/// entering members are added and leaving members subtracted, so each checkpoint is read at most twice per tensor
/// whatever the window size; a job whose window does not overlap the previous one restarts the sum. Non-uniform
/// weights recompute each window from its members. The fp64 running sum of fp32-representable values drifts by far
/// less than one fp32 ulp over thousands of steps; a window of one member is copied bit for bit.
public final class Averager {
    public struct Statistics: Sendable, Equatable {
        /// Tensor reads per input position.
        public var readsPerCheckpoint: [Int: Int] = [:]
        public var bytesRead = 0
        public var largestTensor = 0

        /// `kasane average`'s closing line.
        public func line(models: Int, seconds: Double) -> String {
            String(format: "%d model(s) in %.1f s; read %.1f MB; at most %d tensor reads of one checkpoint; "
                   + "largest tensor %d elements", models, seconds, Double(bytesRead) / 1e6,
                   readsPerCheckpoint.values.max() ?? 0, largestTensor)
        }
    }

    private let sources: [any WeightSource]
    private let weights: AveragingWeights
    public private(set) var statistics = Statistics()

    private var accumulator = UnsafeMutableBufferPointer<Double>.allocate(capacity: 1)
    private var input = UnsafeMutableBufferPointer<Float>.allocate(capacity: 1)
    /// The tensor in the sliding accumulator and the members summed into it.
    private var slidingTensor: String?
    private var summed: Range<Int> = 0..<0

    /// `sources[p]` is the checkpoint at position p of the jobs' member ranges.
    public init(sources: [any WeightSource], weights: AveragingWeights = .uniform) {
        self.sources = sources
        self.weights = weights
    }

    deinit {
        accumulator.deallocate()
        input.deallocate()
    }

    /// Checks that every member shares the first member's tensor names, shapes and dtypes; returns its tensors.
    public func validate(_ jobs: [AveragingJob]) throws -> [TensorInfo] {
        let used = Set(jobs.flatMap { Array($0.members) }).sorted()
        guard let first = used.first else { return [] }
        guard used.allSatisfy({ $0 < sources.count }) else {
            throw TrajectoryError.tooFewCheckpoints(needed: (used.last ?? 0) + 1, found: sources.count,
                                                    context: "averaging")
        }
        let reference = sources[first]
        let tensors = try reference.tensorNames.map { try reference.info($0) }
        for p in used.dropFirst() {
            let other = sources[p]
            let names = other.tensorNames
            let place = other.sourceDescription
            if let missing = reference.tensorNames.first(where: { !names.contains($0) }) {
                throw TrajectoryError.mismatch(file: place, tensor: missing, field: "presence",
                                               expected: "present", found: "missing")
            }
            if let extra = names.first(where: { !reference.tensorNames.contains($0) }) {
                throw TrajectoryError.mismatch(file: place, tensor: extra, field: "presence",
                                               expected: "absent", found: "present")
            }
            for tensor in tensors {
                let theirs = try other.info(tensor.name)
                if theirs.shape != tensor.shape {
                    throw TrajectoryError.mismatch(file: place, tensor: tensor.name, field: "shape",
                                                   expected: "\(tensor.shape)", found: "\(theirs.shape)")
                }
                if theirs.dtype != tensor.dtype {
                    throw TrajectoryError.mismatch(file: place, tensor: tensor.name, field: "dtype",
                                                   expected: tensor.dtype.rawValue, found: theirs.dtype.rawValue)
                }
            }
        }
        return tensors
    }

    /// Writes job's average of `tensor` into `out` (exactly `tensor.count` values), rounded to `dtype` (nil: the
    /// tensor's own dtype), so that writing the values as that dtype is exact.
    public func average(_ job: AveragingJob, tensor: TensorInfo, dtype: DType?,
                        into out: UnsafeMutableBufferPointer<Float>) throws {
        let n = tensor.count
        precondition(out.count == n, "output buffer of the tensor's size")
        let rounding = dtype ?? tensor.dtype
        let members = job.members
        if members.count == 1 {
            try read(members.lowerBound, tensor, into: out)
            if rounding != tensor.dtype { Self.round(out, to: rounding) }
            return
        }
        reserve(n)
        let acc = UnsafeMutableBufferPointer(rebasing: accumulator[0..<n])
        let buffer = UnsafeMutableBufferPointer(rebasing: input[0..<n])
        if weights == .uniform {
            let slides = slidingTensor == tensor.name && !summed.isEmpty && members.lowerBound >= summed.lowerBound
                && members.lowerBound < summed.upperBound && members.upperBound >= summed.upperBound
            if !slides {
                acc.update(repeating: 0)
                summed = members.lowerBound..<members.lowerBound
                slidingTensor = tensor.name
            }
            for p in summed.lowerBound..<members.lowerBound {
                try read(p, tensor, into: buffer)
                for i in 0..<n { acc[i] -= Double(buffer[i]) }
            }
            for p in max(summed.upperBound, members.lowerBound)..<members.upperBound {
                try read(p, tensor, into: buffer)
                for i in 0..<n { acc[i] += Double(buffer[i]) }
            }
            summed = members
            finish(acc, divisor: Double(members.count), into: out, dtype: rounding)
        } else {
            acc.update(repeating: 0)
            slidingTensor = nil
            for (p, w) in zip(members, weights.weights(count: members.count)) {
                try read(p, tensor, into: buffer)
                for i in 0..<n { acc[i] += w * Double(buffer[i]) }
            }
            finish(acc, divisor: 1, into: out, dtype: rounding)
        }
    }

    private func reserve(_ count: Int) {
        guard accumulator.count < count else { return }
        accumulator.deallocate()
        input.deallocate()
        accumulator = .allocate(capacity: count)
        input = .allocate(capacity: count)
        slidingTensor = nil
    }

    private func read(_ position: Int, _ tensor: TensorInfo, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        // Releasing drops the tensor's mapped pages: a trajectory's inputs would otherwise pile up in memory.
        try sources[position].copyFloatsReleasing(tensor.name, into: buffer)
        statistics.readsPerCheckpoint[position, default: 0] += 1
        statistics.bytesRead += tensor.byteCount
        statistics.largestTensor = max(statistics.largestTensor, tensor.count)
    }

    /// acc / divisor (a division, not a multiplication by 1/n, so a uniform mean is one fp64 rounding), rounded once
    /// to the output dtype: fp32 directly; bf16/f16 through round-to-odd fp32 and then round-to-nearest-even, which
    /// together are the correctly rounded value (no double-rounding error).
    private func finish(_ acc: UnsafeMutableBufferPointer<Double>, divisor: Double,
                        into out: UnsafeMutableBufferPointer<Float>, dtype: DType) {
        if dtype == .f32 {
            for i in acc.indices { out[i] = Float(acc[i] / divisor) }
        } else {
            for i in acc.indices { out[i] = RoundToOdd.float(acc[i] / divisor) }
            Self.round(out, to: dtype)
        }
    }

    /// Rounds fp32 values to the nearest value of `dtype` (ties to even), in place.
    static func round(_ values: UnsafeMutableBufferPointer<Float>, to dtype: DType) {
        switch dtype {
        case .f32: break
        case .bf16: for i in values.indices { values[i] = roundedToBF16(values[i]) }
        case .f16: for i in values.indices { values[i] = halfToFloat(floatToHalf(values[i])) }
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
