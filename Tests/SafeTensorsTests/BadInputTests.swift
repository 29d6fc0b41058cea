import Foundation
import Testing
import TestSupport
@testable import SafeTensors

private let okEntry = #""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#

@Test func truncatedFiles() throws {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let original = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/mixed.safetensors"))
    let cut = dir + "/cut.safetensors"
    _ = FileManager.default.createFile(atPath: cut, contents: original.prefix(original.count - 1))
    expectError(["cut.safetensors", "data_offsets"]) { _ = try SafeTensorsFile(path: cut) }
    let tiny = dir + "/tiny.safetensors"
    _ = FileManager.default.createFile(atPath: tiny, contents: Data([1, 2, 3]))
    expectError(["tiny.safetensors", "truncated", "3 bytes"]) { _ = try SafeTensorsFile(path: tiny) }
    let headerCut = dir + "/headercut.safetensors"
    _ = FileManager.default.createFile(atPath: headerCut, contents: original.prefix(40))
    expectError(["headercut.safetensors", "truncated", "header length"]) { _ = try SafeTensorsFile(path: headerCut) }
    let empty = dir + "/empty.safetensors"
    _ = FileManager.default.createFile(atPath: empty, contents: Data())
    expectError(["empty.safetensors", "truncated"]) { _ = try SafeTensorsFile(path: empty) }
    expectError(["absent.safetensors", "cannot open"]) { _ = try SafeTensorsFile(path: dir + "/absent.safetensors") }
}

@Test func headerLengthTooBig() {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let p = writeRaw(dir + "/big.safetensors", header: "{}", dataBytes: 0, declaredLength: 100_000_001)
    expectError(["big.safetensors", "header length", "100000001"]) { _ = try SafeTensorsFile(path: p) }
}

@Test func invalidJSON() {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cases: [(String, String)] = [
        ("{\(okEntry)", "invalid JSON"),
        ("{\(okEntry)}x", "after the JSON value"),
        ("[1,2]", "expected a JSON object"),
        ("{\(okEntry),\(okEntry)}", "duplicate key \"a\""),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"step\":5}}", "__metadata__.step"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", "tensor 'a' data_offsets: missing"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "tensor 'a' shape"),
    ]
    for (i, (header, fragment)) in cases.enumerated() {
        let p = writeRaw(dir + "/bad\(i).safetensors", header: header, dataBytes: 8)
        expectError(["bad\(i).safetensors", fragment]) { _ = try SafeTensorsFile(path: p) }
    }
    // Invalid UTF-8 inside a string
    let p = dir + "/utf8.safetensors"
    let json: [UInt8] = Array("{\"a".utf8) + [0xFF] + Array("\":1}".utf8)
    let bytes: [UInt8] = [UInt8(json.count), 0, 0, 0, 0, 0, 0, 0] + json
    _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
    expectError(["utf8.safetensors", "UTF-8"]) { _ = try SafeTensorsFile(path: p) }
}

@Test func offsetProblems() {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let outOfRange = writeRaw(dir + "/range.safetensors",
                              header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 8)
    expectError(["range.safetensors", "tensor 'a' data_offsets", "runs past the end"]) { _ = try SafeTensorsFile(path: outOfRange) }
    let overlap = writeRaw(dir + "/overlap.safetensors",
                           header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                           dataBytes: 12)
    expectError(["overlap.safetensors", "tensor 'b' data_offsets", "overlaps tensor 'a'"]) { _ = try SafeTensorsFile(path: overlap) }
    let gap = writeRaw(dir + "/gap.safetensors",
                       header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}"#,
                       dataBytes: 16)
    expectError(["gap.safetensors", "tensor 'b' data_offsets", "gap"]) { _ = try SafeTensorsFile(path: gap) }
    let trailing = writeRaw(dir + "/trailing.safetensors", header: "{\(okEntry)}", dataBytes: 12)
    expectError(["trailing.safetensors", "cover 8 bytes", "has 12"]) { _ = try SafeTensorsFile(path: trailing) }
    let reversed = writeRaw(dir + "/reversed.safetensors",
                            header: #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, dataBytes: 8)
    expectError(["reversed.safetensors", "tensor 'a' data_offsets", "after end"]) { _ = try SafeTensorsFile(path: reversed) }
}

@Test func dtypeAndShapeProblems() {
    let dir = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let unknown = writeRaw(dir + "/unknown.safetensors",
                           header: #"{"w":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}"#, dataBytes: 8)
    expectError(["unknown.safetensors", "tensor 'w'", "unknown dtype 'Q7'"]) { _ = try SafeTensorsFile(path: unknown) }
    let unsupported = writeRaw(dir + "/int.safetensors",
                               header: #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, dataBytes: 8)
    expectError(["int.safetensors", "tensor 'ids'", "unsupported dtype 'I64'"]) { _ = try SafeTensorsFile(path: unsupported) }
    let mismatch = writeRaw(dir + "/shape.safetensors",
                            header: #"{"w":{"dtype":"BF16","shape":[3,2],"data_offsets":[0,8]}}"#, dataBytes: 8)
    expectError(["shape.safetensors", "tensor 'w' data_offsets", "needs 12"]) { _ = try SafeTensorsFile(path: mismatch) }
    let file = writeRaw(dir + "/ok.safetensors", header: "{\(okEntry)}", dataBytes: 8)
    expectError(["ok.safetensors", "missing tensor 'b'"]) { _ = try SafeTensorsFile(path: file).floats("b") }
}

@Test func shardIndexProblems() throws {
    let shardsDir = fixtures + "/sharded"
    let index = try String(contentsOfFile: shardsDir + "/model.safetensors.index.json", encoding: .utf8)
    // Every variant is a subfolder of one scratch folder, removed once the test is done with them all.
    let scratch = scratchDirectory()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    func variant(_ name: String, _ transform: (String) -> String) throws -> String {
        let dir = scratch + "/" + name
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        for f in try FileManager.default.contentsOfDirectory(atPath: shardsDir) where f.hasSuffix(".safetensors") {
            try FileManager.default.copyItem(atPath: shardsDir + "/" + f, toPath: dir + "/" + f)
        }
        try transform(index).write(toFile: dir + "/model.safetensors.index.json", atomically: true, encoding: .utf8)
        return dir
    }
    for (i, (bad, fragment)) in [("../model-00001-of-00002.safetensors", "'..'"), ("/etc/model-00001-of-00002.safetensors", "absolute"),
                                 ("sub/model-00001-of-00002.safetensors", "path separator"), ("..", "'..'")].enumerated() {
        let dir = try variant("shard\(i)") { $0.replacingOccurrences(of: "\"model-00001-of-00002.safetensors\"", with: "\"\(bad)\"") }
        expectError(["model.safetensors.index.json", "weight_map.", "shard name"]) { _ = try WeightStore(directory: dir) }
        expectError([fragment]) { _ = try WeightStore(directory: dir) }
    }
    let missing = try variant("missing") {
        $0.replacingOccurrences(of: "\"weight_map\": {", with: "\"weight_map\": {\n    \"ghost.weight\": \"model-00002-of-00002.safetensors\",")
    }
    expectError(["model-00002-of-00002.safetensors", "missing tensor 'ghost.weight'"]) { _ = try WeightStore(directory: missing) }
    let absentShard = try variant("absent") { $0.replacingOccurrences(of: "model-00002-of-00002", with: "model-00002-of-00003") }
    expectError(["model-00002-of-00003.safetensors", "shard named in model.safetensors.index.json is missing"]) { _ = try WeightStore(directory: absentShard) }
    let notJSON = try variant("notjson") { String($0.dropLast(3)) }
    expectError(["model.safetensors.index.json", "invalid JSON"]) { _ = try WeightStore(directory: notJSON) }
    let noMap = try variant("nomap") { $0.replacingOccurrences(of: "weight_map", with: "weights") }
    expectError(["model.safetensors.index.json", "weight_map: missing"]) { _ = try WeightStore(directory: noMap) }
}
