import ArgumentParser
import Evaluation
import SafeTensors
import Trajectory

// Option values are typed: ArgumentParser rejects a bad value with the option's name and the accepted values.

extension WindowAlignment: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension EnsembleVote: ExpressibleByArgument {}

extension AveragingWeights: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
}

extension StepRange: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension StepList: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension LastFraction: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

/// `--dtype`: the storage dtype of averaged weights, in safetensors' or torch's spelling.
extension DType: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "f32", "float32", "fp32": self = .f32
        case "f16", "float16", "fp16", "half": self = .f16
        case "bf16", "bfloat16": self = .bf16
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["f32", "f16", "bf16"] }
}

extension BleuMode: ExpressibleByArgument {}
extension ResultStore.Journal: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

/// `--sim`: how the instability score compares two predictions.
enum SimilarityKind: String, CaseIterable, ExpressibleByArgument {
    /// Identical normalized predictions.
    case exact
    /// The dataset's main metric with the earlier prediction as the reference.
    case metric
}
