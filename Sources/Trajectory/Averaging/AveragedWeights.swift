import Linalg
import Llama
import SafeTensors

/// An averaged model as a `WeightSource`: each tensor is averaged from the window's members when the model asks
/// for it, so loading an averaged model holds the model's own fp32 copy plus one tensor's accumulator, never the N
/// members. Values are rounded to the output dtype exactly as `kasane average` writes them.
public final class AveragedWeights: WeightSource, @unchecked Sendable {
    public let job: AveragingJob
    private let sources: [any AveragingSource]
    private let averager: Averager
    private let layouts: [String: TensorLayout]
    private let dtype: AveragingDType?
    public let sourceDescription: String

    public init(plan: CheckpointAveraging, step: Int) throws {
        guard let job = try AveragingPlan.jobs(steps: plan.checkpoints.map(\.step), window: plan.window,
                                               at: [step]).first else {
            throw TrajectoryError.invalidOption(option: "--average-window", value: String(plan.window.size),
                                                expected: "a window that fits at step \(step)")
        }
        try plan.checkConsistency(Array(job.members))
        // Only the members are opened; the averager indexes sources by position, so the rest stay placeholders.
        var sources: [any AveragingSource] = []
        for (p, input) in plan.checkpoints.enumerated() {
            sources.append(job.members.contains(p) ? try WeightStoreSource(directory: input.directory)
                                                   : UnusedSource(location: input.directory))
        }
        self.job = job
        self.sources = sources
        averager = Averager(sources: sources, weights: plan.weights)
        layouts = Dictionary(try averager.validate([job]).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        dtype = plan.dtype
        let members = job.members.map { plan.checkpoints[$0].step }.map(String.init).joined(separator: ",")
        sourceDescription = "average of steps \(members)"
    }

    public func info(_ name: String) throws -> TensorInfo {
        guard let layout = layouts[name] else { throw LlamaError.missingTensor(name: name, source: sourceDescription) }
        let stored = DType(rawValue: (dtype ?? layout.dtype).rawValue) ?? .f32
        return TensorInfo(name: name, dtype: stored, shape: layout.shape)
    }

    public func contains(_ name: String) -> Bool { layouts[name] != nil }

    public func floats(_ name: String) throws -> [Float] {
        guard let layout = layouts[name] else { throw LlamaError.missingTensor(name: name, source: sourceDescription) }
        var out = [Float](repeating: 0, count: layout.count)
        try out.withUnsafeMutableBufferPointer { try copyFloats(name, into: $0) }
        return out
    }

    public func copyFloats(_ name: String, into: UnsafeMutableBufferPointer<Float>) throws {
        guard let layout = layouts[name] else { throw LlamaError.missingTensor(name: name, source: sourceDescription) }
        guard into.count == layout.count else {
            throw TrajectoryError.mismatch(file: sourceDescription, tensor: name, field: "element count",
                                           expected: String(layout.count), found: String(into.count))
        }
        let sink = BufferSink(into, dtype: dtype ?? layout.dtype)
        try averager.run([job], layouts: [layout], outputDType: dtype, sinks: [sink])
    }
}

/// Writes one tensor's averaged values straight into a caller's buffer, rounded to the output dtype.
final class BufferSink: AveragingSink {
    let buffer: UnsafeMutableBufferPointer<Float>
    let dtype: AveragingDType

    init(_ buffer: UnsafeMutableBufferPointer<Float>, dtype: AveragingDType) {
        self.buffer = buffer
        self.dtype = dtype
    }

    func append(_ name: String, values: UnsafeBufferPointer<Float>) throws {
        for i in values.indices {
            switch dtype {
            case .f32: buffer[i] = values[i]
            case .bf16: buffer[i] = roundedToBF16(values[i])
            case .f16: buffer[i] = halfToFloat(floatToHalf(values[i]))
            }
        }
    }

    func finish() throws {}
}

/// A checkpoint outside the window: never read.
final class UnusedSource: AveragingSource {
    let location: String
    init(location: String) { self.location = location }
    var tensorNames: [String] { [] }
    func layout(_ name: String) throws -> TensorLayout {
        throw TrajectoryError.missingFile(path: location, what: "tensor '\(name)' (checkpoint outside the window)")
    }
    func read(_ name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        throw TrajectoryError.missingFile(path: location, what: "tensor '\(name)' (checkpoint outside the window)")
    }
}
