import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// A stand-in COMET whose segment score is worked out by hand: 1 for a translation equal to its reference, 0.25
/// otherwise. It counts the triples it scored and checks the source is the sample's input.
private final class EqualityScorer: SegmentScorer {
    let metric = "comet_wmt22"
    var scored = 0
    func segmentScores(sources: [String], translations: [String], references: [String]) throws -> [Double] {
        scored += translations.count
        #expect(sources.allSatisfy { $0.hasPrefix("原文") })
        return zip(translations, references).map { $0 == $1 ? 1 : 0.25 }
    }
}

@Suite struct SegmentScoringTests {
    /// `eval --comet`: every MT record gets its segment score, the dataset's comet_wmt22 is their mean and becomes
    /// the MT category (no BLEU stand-in); a rerun scores nothing again; ensembles reuse the members' scores.
    @Test func cometSegmentsAreStoredAveragedIntoMTAndReusedByEnsembles() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let scorer = EqualityScorer()
        let db = dir.file("a.sqlite")
        let store = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir, segmentScorer: scorer)
        #expect(scorer.scored == 2 * mt.golds.count)
        let run = try store.run(named: "run")
        let dataset = try #require(try store.datasets(run: run.id).first { $0.name == "alt-j-to-e" })
        for model in try store.models(run: run.id) {
            let rows = try store.predictions(model: model.id, dataset: dataset.id)
            let expected = rows.map { $0.prediction == $0.gold ? 1.0 : 0.25 }
            #expect(rows.map { $0.metrics["comet_wmt22"] ?? .nan } == expected)
            let mean = expected.reduce(0, +) / Double(expected.count)
            let score = try #require(try store.scores(model: model.id).first { $0.dataset == "alt-j-to-e" })
            #expect(score.mainMetric == "comet_wmt22" && score.metrics["comet_wmt22"] == mean && score.main == mean)
            #expect(try store.aggregates(model: model.id)["MT"] == mean)
        }
        _ = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir, segmentScorer: scorer)
        #expect(scorer.scored == 2 * mt.golds.count)   // nothing scored twice

        let ensembles = try EnsembleRun.run(db: db, run: nil, sizes: [2], alignment: .trailing)
        #expect(ensembles.windows.count == 1)
        let ensembled = try #require(try store.models(run: run.id, kind: .ensemble).first)
        let voted = try store.predictions(model: ensembled.id, dataset: dataset.id)
        let expected = voted.map { $0.prediction == $0.gold ? 1.0 : 0.25 }
        #expect(voted.map { $0.metrics["comet_wmt22"] ?? .nan } == expected)
        let score = try #require(try store.scores(model: ensembled.id).first { $0.dataset == "alt-j-to-e" })
        #expect(score.mainMetric == "comet_wmt22" && score.main == expected.reduce(0, +) / Double(expected.count))
        #expect(scorer.scored == 2 * mt.golds.count)   // the ensemble ran no scorer
    }

    /// Without a scorer, a resumed store gets the segment scores it lacks when `--comet` is given later.
    @Test func aStoreEvaluatedWithoutCometGetsItsSegmentsOnARerunWithComet() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let db = dir.file("a.sqlite")
        let store = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir)
        let run = try store.run(named: "run")
        let first = try #require(try store.models(run: run.id).first)
        let before = try #require(try store.scores(model: first.id).first { $0.dataset == "alt-j-to-e" })
        #expect(before.mainMetric == "bleu_en" && before.metrics["comet_wmt22"] == nil)
        let scorer = EqualityScorer()
        _ = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir, segmentScorer: scorer)
        #expect(scorer.scored == 2 * mt.golds.count)
        let after = try #require(try store.scores(model: first.id).first { $0.dataset == "alt-j-to-e" })
        #expect(after.mainMetric == "comet_wmt22" && after.metrics["bleu_en"] == before.metrics["bleu_en"])
    }

    /// The COMET model is part of a run's settings: without --comet, then --comet M1, scores one run (its records get
    /// their segments); --comet M2 or no --comet afterwards are other settings, told once, evaluated into new runs.
    @Test func aChangedCometModelIsAnotherSettingAndSaysSo() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let db = dir.file("a.sqlite")
        var notices: [String] = []
        let store = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir)
        let m1 = EqualityScorer()
        _ = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir, segmentScorer: m1, comet: "m1") {
            notices.append($0)
        }
        #expect(notices.isEmpty && m1.scored == 2 * mt.golds.count)
        #expect(try store.runs().map { $0.settings.values[RunKeys.cometModel] } == ["m1"])

        let m2 = EqualityScorer()
        _ = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir, segmentScorer: m2, comet: "m2") {
            notices.append($0)
        }
        #expect(notices == ["run 'run' (#1) was scored with COMET model m1; this evaluation uses COMET model"
                            + " m2, a different setting: its results go to a new run"])
        let runs = try store.runs().count
        #expect(m2.scored == 2 * mt.golds.count && runs == 2)

        _ = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir) { notices.append($0) }
        #expect(notices.count == 2 && notices[1].contains("uses no COMET model"))
        #expect(try store.runs().map { $0.settings.values[RunKeys.cometModel] } == ["m1", "m2", nil])
    }

    /// A run scored by COMET before the model was recorded is not taken over by a recorded model.
    @Test func cometScoresOfAnUnrecordedModelStayInTheirRun() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let db = dir.file("a.sqlite")
        let store = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir, segmentScorer: EqualityScorer())
        var notices: [String] = []
        _ = try mt.evaluate(.sacrebleu, into: db, checkpoints: dir, segmentScorer: EqualityScorer(), comet: "m1") {
            notices.append($0)
        }
        let runs = try store.runs().count
        #expect(notices.count == 1 && notices[0].contains("an unrecorded COMET model") && runs == 2)
    }

    /// The fingerprint reads hparams.yaml whole and samples model.ckpt: either changing is another model.
    @Test func cometFingerprintFollowsHparamsAndCheckpointBytes() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("checkpoints"), withIntermediateDirectories: true)
        try Data("layer: mix\n".utf8).write(to: URL(fileURLWithPath: dir.file("hparams.yaml")))
        var ckpt = Data((0..<(400 * 1024)).map { UInt8($0 % 251) })
        try ckpt.write(to: URL(fileURLWithPath: dir.file("checkpoints/model.ckpt")))
        let first = try CometFingerprint.of(folder: dir.path)
        #expect(try CometFingerprint.of(folder: dir.path) == first)
        ckpt[ckpt.count / 2] ^= 1
        try ckpt.write(to: URL(fileURLWithPath: dir.file("checkpoints/model.ckpt")))
        let second = try CometFingerprint.of(folder: dir.path)
        #expect(second != first)
        try Data("layer: 3\n".utf8).write(to: URL(fileURLWithPath: dir.file("hparams.yaml")))
        #expect(try CometFingerprint.of(folder: dir.path) != second)
        try FileManager.default.removeItem(atPath: dir.file("checkpoints/model.ckpt"))
        #expect { _ = try CometFingerprint.of(folder: dir.path) } throws: { "\($0)".contains("checkpoints/model.ckpt") }
    }

    /// `rescore` takes a model-based dataset value from the stored segment scores, as the runner does: a dataset
    /// value that disagrees with them (here overwritten) is replaced by their mean.
    @Test func rescoringTakesCometFromTheStoredSegments() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let mt = try MTRun(dir: dir)
        let store = try mt.evaluate(.sacrebleu, into: dir.file("a.sqlite"), checkpoints: dir, segmentScorer: EqualityScorer())
        let run = try store.run(named: "run")
        let model = try #require(try store.models(run: run.id).first)
        let dataset = try #require(try store.datasets(run: run.id).first { $0.name == "alt-j-to-e" })
        let rows = try store.predictions(model: model.id, dataset: dataset.id)
        let mean = rows.map { $0.prediction == $0.gold ? 1.0 : 0.25 }.reduce(0, +) / Double(rows.count)
        var score = try #require(try store.scores(model: model.id).first { $0.dataset == "alt-j-to-e" })
        score.metrics["comet_wmt22"] = 0.5
        try store.setScore(score, model: model.id, dataset: dataset.id)
        _ = try StoreRescoring.rescore(store: store, run: nil, bleu: .llmJpEvalCompat)
        let rescored = try #require(try store.scores(model: model.id).first { $0.dataset == "alt-j-to-e" })
        #expect(rescored.metrics["comet_wmt22"] == mean && rescored.main == mean)
    }
}
