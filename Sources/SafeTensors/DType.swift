/// Storage dtypes Kasane reads and writes. Compute is always fp32.
public enum DType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"

    /// A dtype written as safetensors or torch spells it (`bf16`, `bfloat16`, `float32`, `fp16`, `half`...).
    public init?(name: String) {
        switch name.lowercased() {
        case "f32", "float32", "fp32": self = .f32
        case "f16", "float16", "fp16", "half": self = .f16
        case "bf16", "bfloat16": self = .bf16
        default: return nil
        }
    }

    public var byteSize: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        }
    }

    /// Order of the Python library's layout (descending `Dtype` enum order there: F32 before BF16 before F16).
    var layoutRank: Int {
        switch self {
        case .f32: return 2
        case .bf16: return 1
        case .f16: return 0
        }
    }

    /// Every dtype name the safetensors format defines; the others are rejected as unknown.
    static let allSafetensorsNames: Set<String> = [
        "BOOL", "F4", "F6_E2M3", "F6_E3M2", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F8_E4M3FNUZ",
        "F8_E5M2FNUZ", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "C64", "F64", "I64", "U64",
    ]
}

public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]

    public init(name: String, dtype: DType, shape: [Int]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
    }

    /// Number of elements (1 for a scalar, shape `[]`).
    public var count: Int { shape.reduce(1, *) }
    public var byteCount: Int { count * dtype.byteSize }
}
