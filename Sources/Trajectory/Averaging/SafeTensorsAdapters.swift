import Linalg
import Llama
import SafeTensors

/// A checkpoint folder (single file or sharded) as an averaging input, memory-mapped by `WeightStore`.
public final class WeightStoreSource: AveragingSource {
    public let store: WeightStore
    public let location: String

    public init(directory: String) throws {
        store = try WeightStore(directory: directory)
        location = directory
    }

    public var tensorNames: [String] { store.tensorNames }

    public func layout(_ name: String) throws -> TensorLayout {
        let info = try store.info(name)
        guard let dtype = AveragingDType(rawValue: info.dtype.rawValue) else {
            throw TrajectoryError.mismatch(file: location, tensor: name, field: "dtype", expected: "F32, F16 or BF16",
                                           found: info.dtype.rawValue)
        }
        return TensorLayout(name: name, dtype: dtype, shape: info.shape)
    }

    public func read(_ name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        try store.copyFloats(name, into: buffer)
        // Drop the tensor's mapped pages: a trajectory's inputs would otherwise pile up in the resident set.
        store.release(name)
    }
}

/// Writes one averaged checkpoint's `model.safetensors` through the streaming writer (temp file, then rename).
public final class SafeTensorsSink: AveragingSink {
    private var writer: SafeTensorsWriter

    public init(path: String, layouts: [TensorLayout], dtype: AveragingDType?, metadata: [String: String]) throws {
        let infos = try layouts.map { layout -> TensorInfo in
            let name = (dtype ?? layout.dtype).rawValue
            guard let d = DType(rawValue: name) else {
                throw TrajectoryError.invalidOption(option: "--dtype", value: name, expected: "F32, F16 or BF16")
            }
            return TensorInfo(name: layout.name, dtype: d, shape: layout.shape)
        }
        writer = try SafeTensorsWriter(path: path, tensors: infos, metadata: metadata)
    }

    public func append(_ name: String, values: UnsafeBufferPointer<Float>) throws {
        try writer.append(name, floats: values)
    }

    public func finish() throws { try writer.finish() }
}

/// Collects an averaged model in memory, rounded to its output dtype exactly as the on-disk writer would round it,
/// so an in-memory averaged model equals the written one.
public final class InMemorySink: AveragingSink {
    public private(set) var tensors: [String: (layout: TensorLayout, values: [Float])] = [:]
    private let layouts: [String: TensorLayout]
    private let dtype: AveragingDType?

    public init(layouts: [TensorLayout], dtype: AveragingDType?) {
        self.layouts = Dictionary(layouts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.dtype = dtype
    }

    public func append(_ name: String, values: UnsafeBufferPointer<Float>) throws {
        guard var layout = layouts[name] else {
            throw TrajectoryError.mismatch(file: "averaged model", tensor: name, field: "presence",
                                           expected: "declared", found: "undeclared")
        }
        layout.dtype = dtype ?? layout.dtype
        var out = Array(values)
        switch layout.dtype {
        case .f32: break
        case .bf16: for i in out.indices { out[i] = roundedToBF16(out[i]) }
        case .f16: for i in out.indices { out[i] = halfToFloat(floatToHalf(out[i])) }
        }
        tensors[name] = (layout, out)
    }

    public func finish() throws {}
}
