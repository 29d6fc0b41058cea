import Foundation
import Testing
@testable import Comet

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
/// wmt22's head (sparsemax, no layer norm).
let fixture = fixtures.appendingPathComponent("tiny-wmt22")
/// The other head options (softmax, layer_norm: true), sharing tiny-wmt22's encoder folder.
let softmaxFixture = fixtures.appendingPathComponent("tiny-softmax-layernorm")

/// unbabel-comet's own output for the fixture model (tools/make_comet_fixture.py).
struct Golden {
    let sources: [String], translations: [String], references: [String]
    let segments: [Double]
    let system: Double
    let tokenIds: [String: [Int]]
    let layerWeights: [Double]

    init(_ folder: URL = fixture) throws {
        let data = try Data(contentsOf: folder.appendingPathComponent("golden.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let triples = try #require(root["triples"] as? [[String: String]])
        sources = triples.map { $0["src"]! }
        translations = triples.map { $0["mt"]! }
        references = triples.map { $0["ref"]! }
        segments = try #require(root["segment_scores"] as? [Double])
        system = try #require(root["system_score"] as? Double)
        tokenIds = try #require(root["token_ids"] as? [String: [Int]])
        layerWeights = try #require(root["layer_weights"] as? [Double])
    }
}

@Test func tokenIdsEqualCometsTokenizer() throws {
    let golden = try Golden()
    let model = try CometModel(folder: fixture, encoderFolder: fixture.appendingPathComponent("xlmr"))
    #expect(golden.tokenIds.count >= 30)
    for (text, ids) in golden.tokenIds { #expect(try model.tokenIds(text) == ids, "ids of '\(text)'") }
    // The long Kyoto sentences are cut at max_position_embeddings - 4 ids, as COMET does.
    #expect(golden.tokenIds.values.contains { $0.count == model.config.maxTokens })
}

@Test(arguments: [fixture, softmaxFixture])
func scoresEqualUnbabelComet(folder: URL) throws {
    let golden = try Golden(folder)
    let model = try CometModel(folder: folder, encoderFolder: fixture.appendingPathComponent("xlmr"))
    let scores = try model.score(sources: golden.sources, translations: golden.translations, references: golden.references)
    #expect(scores.segments.count == golden.segments.count)
    let maxDiff = zip(scores.segments, golden.segments).map { abs($0 - $1) }.max() ?? .infinity
    #expect(maxDiff < 1e-4, "max |segment diff| \(maxDiff)")
    print("COMET \(folder.lastPathComponent): max |segment diff| \(maxDiff), |system diff| \(abs(scores.system - golden.system))")
    #expect(abs(scores.system - golden.system) < 1e-4, "system \(scores.system) vs \(golden.system)")
    // Scores differ between segments, so the comparison says something about the forward.
    #expect((golden.segments.max()! - golden.segments.min()!) > 0.1)
}

@Test func findsTheEncoderFolderNamedByPretrainedModel() throws {
    // hparams.yaml names pretrained_model "xlmr", a folder beside it.
    let model = try CometModel(folder: fixture)
    #expect(model.config.layers == 3)
    #expect(model.hparams.usesSparsemax && !model.hparams.layerNorm && model.hparams.hiddenSizes == [48, 24])
    let other = try CometModel(folder: softmaxFixture)   // pretrained_model: ../tiny-wmt22/xlmr
    #expect(!other.hparams.usesSparsemax && other.hparams.layerNorm)
}

@Test(arguments: [fixture, softmaxFixture])
func layerWeightsEqualComets(folder: URL) throws {
    let golden = try Golden(folder)
    let model = try CometModel(folder: folder)
    let weights = try #require(model.mix?.weights)
    #expect(weights.count == golden.layerWeights.count)
    for (a, b) in zip(weights, golden.layerWeights) { #expect(abs(Double(a) - b) < 1e-6) }
    if model.hparams.usesSparsemax { #expect(golden.layerWeights.contains(0), "the fixture's sparsemax drops a layer") }
}
