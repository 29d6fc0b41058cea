import Llama
import SafeTensors

/// One averaged model as a `WeightSource`: each tensor is averaged from the window's members when asked for, so
/// loading an averaged model holds the model's own copy plus one tensor's accumulator, never the N members. The
/// values are rounded to the output dtype, so writing them as that dtype (`kasane average`) is exact, and an
/// evaluated in-memory average equals the written one.
public final class AveragedWeights: WeightSource, @unchecked Sendable {
    public let job: AveragingJob
    private let averager: Averager
    private let tensors: [String: TensorInfo]
    /// The output dtype, nil to keep each tensor's own.
    private let dtype: DType?
    public let sourceDescription: String
    public let tensorNames: [String]

    /// `averager` may be shared by several jobs (the writer asks for one tensor of every job in position order, so
    /// uniform windows slide); `tensors` are its validated inputs.
    init(job: AveragingJob, averager: Averager, tensors: [TensorInfo], dtype: DType?, description: String) {
        self.job = job
        self.averager = averager
        self.tensors = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.dtype = dtype
        sourceDescription = description
        tensorNames = tensors.map(\.name).sorted()
    }

    public func info(_ name: String) throws -> TensorInfo {
        let input = try tensor(name)
        return TensorInfo(name: name, dtype: dtype ?? input.dtype, shape: input.shape)
    }

    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    public func floats(_ name: String) throws -> [Float] {
        var out = [Float](repeating: 0, count: try tensor(name).count)
        try out.withUnsafeMutableBufferPointer { try copyFloats(name, into: $0) }
        return out
    }

    public func copyFloats(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws {
        let input = try tensor(name)
        guard into.count == input.count else {
            throw TrajectoryError.mismatch(file: sourceDescription, tensor: name, field: "element count",
                                           expected: String(input.count), found: String(into.count))
        }
        try averager.average(job, tensor: input, dtype: dtype, into: into)
    }

    private func tensor(_ name: String) throws -> TensorInfo {
        guard let input = tensors[name] else { throw LlamaError.missingTensor(name: name, source: sourceDescription) }
        return input
    }
}
