import ArgumentParser
import Evaluation
import Trajectory

// Option values are typed: ArgumentParser rejects a bad value with the option's name and the accepted values.

extension WindowAlignment: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension AveragingWeights: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
    public var defaultValueDescription: String { description }
}

extension StepRange: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension LastFraction: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

extension AveragingDType: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
    public static var allValueStrings: [String] { ["f32", "f16", "bf16"] }
}

extension BleuMode: ExpressibleByArgument {}
extension ResultStore.Journal: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

extension LastFraction {
    /// As `--last-fraction` takes it again (forwarded to Slurm jobs).
    var text: String { "\(numerator)/\(denominator)" }
}

/// `--sim`: how the instability score compares two predictions.
enum SimilarityKind: String, CaseIterable, ExpressibleByArgument {
    /// Identical normalized predictions.
    case exact
    /// The dataset's main metric with the earlier prediction as the reference.
    case metric
}
