/// The dtype names the averager reads and writes (the safetensors spellings).
public enum AveragingDType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"

    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "f32", "float32", "fp32": self = .f32
        case "f16", "float16", "fp16", "half": self = .f16
        case "bf16", "bfloat16": self = .bf16
        default:
            throw TrajectoryError.invalidOption(option: "--dtype", value: text, expected: "f32, f16 or bf16")
        }
    }
}

public struct TensorLayout: Sendable, Equatable {
    public var name: String
    public var dtype: AveragingDType
    public var shape: [Int]

    public init(name: String, dtype: AveragingDType, shape: [Int]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
    }

    public var count: Int { shape.reduce(1, *) }
}

/// One input checkpoint, read one tensor at a time (the real one is a memory-mapped `WeightStore`).
public protocol AveragingSource: AnyObject {
    /// For error messages: the checkpoint folder.
    var location: String { get }
    /// Sorted tensor names.
    var tensorNames: [String] { get }
    func layout(_ name: String) throws -> TensorLayout
    /// Converts the tensor to fp32 into `buffer` (exactly `layout(name).count` elements).
    func read(_ name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws
}

/// One output checkpoint, written one tensor at a time in the declared order.
public protocol AveragingSink: AnyObject {
    /// Receives the averaged values; for a bf16/f16 output they are pre-rounded so that the sink's own
    /// round-to-nearest-even conversion is a single correct rounding of the fp64 average.
    func append(_ name: String, values: UnsafeBufferPointer<Float>) throws
    func finish() throws
}
