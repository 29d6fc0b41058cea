import Foundation
import JSON
import Testing
@testable import Trajectory

/// `kasane drift` against torch: tools/make_drift_fixture.py wrote four BF16 checkpoints and the drift torch computes
/// from them in float64 (Fixtures/drift/expected.json).
@Suite struct DriftTests {
    static let folder = (Repo.root as NSString).appendingPathComponent("Tests/TrajectoryTests/Fixtures/drift")

    static func expected() throws -> [JSONValue] {
        try #require(try JSONParser.parse(file: folder + "/expected.json")["pairs"]?.arrayValue)
    }

    static func close(_ value: Double?, _ golden: JSONValue?, _ what: String) {
        guard let g = golden?.doubleValue else {
            #expect(value == nil, "\(what): torch has no value, Kasane \(String(describing: value))")
            return
        }
        guard let value else { Issue.record("\(what): Kasane has no value, torch \(g)"); return }
        #expect(abs(value - g) <= 1e-12 * max(1, abs(g)), "\(what): \(value) vs torch \(g)")
    }

    static func check(_ m: DriftPair.Measure, _ golden: JSONValue?, _ what: String) {
        close(m.l2, golden?["l2"], what + " l2")
        close(m.relativeL2, golden?["relative_l2"], what + " relative_l2")
        close(m.updateCosine, golden?["update_cosine"], what + " update_cosine")
    }

    @Test func matchesTorchForEveryPairGroupAndLayer() throws {
        let pairs = try ParameterDrift.measure(try CheckpointIndex(path: Self.folder).checkpoints)
        let golden = try Self.expected()
        #expect(pairs.count == 3 && golden.count == 3)
        for (pair, g) in zip(pairs, golden) {
            #expect(pair.fromStep == g["from_step"]?.intValue && pair.toStep == g["to_step"]?.intValue)
            Self.check(pair.total, g, "\(pair.fromStep)→\(pair.toStep)")
            #expect(Set(pair.groups.keys) == Set(["attention", "embeddings", "lm_head", "mlp", "norms"]))
            for (name, m) in pair.groups { Self.check(m, g["groups"]?[name], "group \(name)") }
            #expect(pair.layers.keys.sorted() == [0, 1])
            for (layer, m) in pair.layers { Self.check(m, g["layers"]?[String(layer)], "layer \(layer)") }
        }
        // The fixture's third step is ten times larger: drift shows it.
        #expect(pairs[1].total.l2 > 5 * pairs[0].total.l2)
    }

    @Test func storedDriftReadsBackAndExportsAgree() throws {
        let dir = try TempDir("kasane-drift"); defer { dir.cleanup() }
        let db = dir.file("r.sqlite")
        let pairs = try DriftRequest(checkpoints: Self.folder, db: db, runName: "tiny").run()
        let stored = try ResultStore(path: db, readOnly: true).drift(runName: "tiny")
        #expect(stored == pairs)
        // Measuring again replaces the rows instead of adding to them.
        _ = try DriftRequest(checkpoints: Self.folder, db: db, runName: "tiny").run()
        #expect(try ResultStore(path: db, readOnly: true).drift(runName: "tiny") == pairs)
        #expect(try ResultStore(path: db, readOnly: true).drift(runName: "other").isEmpty)

        let json = try JSONParser.parse(Array(DriftExport.json(pairs).utf8), file: "drift.json")
        let first = try #require(json["pairs"]?.arrayValue?.first)
        #expect(first["update_cosine"]?.isNull == true && first["groups"]?["mlp"]?["l2"]?.doubleValue != nil)
        #expect(first["layers"]?["1"]?["relative_l2"]?.doubleValue != nil)
        let csv = DriftExport.csv(pairs).split(separator: "\r\n")
        #expect(csv.first == "from_step,to_step,scope,l2,relative_l2,update_cosine")
        #expect(csv.count == 1 + 3 * (1 + 5 + 2))
        // `--json` and `--csv` write exactly these texts.
        try DriftExport.write(pairs, json: dir.file("d.json"), csv: dir.file("d.csv"))
        #expect(try String(contentsOfFile: dir.file("d.json"), encoding: .utf8) == DriftExport.json(pairs))
        #expect(try String(contentsOfFile: dir.file("d.csv"), encoding: .utf8) == DriftExport.csv(pairs))
    }

    /// `--json /dev/null` writes into the device: an atomic write (temp file + rename) would replace the device node
    /// with a regular file, and as root break /dev/null for the whole machine.
    @Test func writingAnExportToADeviceLeavesTheDevice() throws {
        let dir = try TempDir("kasane-drift"); defer { dir.cleanup() }
        #expect(try KasaneBinary.run(["drift", "--checkpoints", Self.folder, "--db", dir.file("r.sqlite"),
                                      "--json", "/dev/null"]) == 0)
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial, "/dev/null was replaced (repair: rm /dev/null; mknod -m 666 /dev/null c 1 3)")
    }

    @Test func tooFewOrMismatchedCheckpointsAreClearErrors() throws {
        let checkpoints = try CheckpointIndex(path: Self.folder).checkpoints
        #expect(throws: TrajectoryError.self) { try ParameterDrift.measure([checkpoints[0]]) }
        let dir = try TempDir("kasane-drift-bad"); defer { dir.cleanup() }
        for c in checkpoints.prefix(2) {
            try FileManager.default.copyItem(atPath: c.path, toPath: dir.file(c.name))
        }
        // A second checkpoint of another width: the config check names the field.
        let config = dir.file("checkpoint-200/config.json")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "\"hidden_size\": 8", with: "\"hidden_size\": 16")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let error = try #require(throws: TrajectoryError.self) {
            try ParameterDrift.measure(try CheckpointIndex(path: dir.path).checkpoints)
        }
        #expect("\(error)".contains("hidden_size") && "\(error)".contains("checkpoint-200"))
    }
}
