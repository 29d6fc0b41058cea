import Comet
import Evaluation
import Foundation

/// `comet_wmt22` segment scores from a native COMET model folder (`kasane eval --comet DIR`, docs/COMET.md).
public final class CometSegmentScorer: SegmentScorer {
    public let metric = MetricName.cometWmt22.rawValue
    public let folder: String
    /// The model's identity in a run's settings (`CometFingerprint`).
    public let fingerprint: String
    private let model: CometModel

    public init(folder: String) throws {
        self.folder = folder
        model = try CometModel(folder: URL(fileURLWithPath: folder))
        fingerprint = try CometFingerprint.of(folder: folder)
    }

    public func segmentScores(sources: [String], translations: [String], references: [String]) throws -> [Double] {
        try model.score(sources: sources, translations: translations, references: references).segments
    }
}
