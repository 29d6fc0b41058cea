import ArgumentParser
import Evaluation
import SafeTensors
import Trajectory

// Option values are typed: ArgumentParser rejects a bad value with the option's name and the accepted values.

extension WindowAlignment: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

extension EnsembleVote: ExpressibleByArgument {}

/// A library value with a throwing `init(parsing:)`; on a bad value ArgumentParser names the option.
public protocol ParsedArgument: ExpressibleByArgument { init(parsing text: String) throws }
extension ParsedArgument { public init?(argument: String) { try? self.init(parsing: argument) } }

extension AveragingWeights: ParsedArgument { public var defaultValueDescription: String { description } }
extension StepRange: ParsedArgument {}
extension StepList: ParsedArgument {}
extension LastFraction: ParsedArgument {}
extension TokenIds: ParsedArgument {}
extension NameList: ParsedArgument {}
extension WindowSizes: ParsedArgument {}

/// `--dtype`: the storage dtype of averaged weights, in safetensors' or torch's spelling.
extension DType: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { ["f32", "f16", "bf16"] }
}

extension BleuMode: ExpressibleByArgument {
    static var help: ArgumentHelp { "sacrebleu (corpus BLEU) or llm-jp-eval-compat (v1.4.1's per-sample call)." }
}
extension ResultStore.Journal: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension SimilarityKind: ExpressibleByArgument {}
