import Foundation
@testable import Trajectory

/// Repo-relative paths for fixtures.
enum FixturePaths {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let averaging = testsDir.appendingPathComponent("Fixtures/averaging")
}

/// The averaging fixture written by tools/make_averaging_fixtures.py.
struct AveragingFixture: Decodable {
    struct Case: Decodable {
        var window: Int
        var align: String
        var weights: String
        var step: Int
        var members: [Int]
        var bf16_bits: [String: [UInt16]]
        var f32_bits: [String: [UInt32]]
    }
    var steps: [Int]
    var shapes: [String: [Int]]
    var inputs_bf16_bits: [[String: [UInt16]]]
    var cases: [Case]

    static func load() throws -> AveragingFixture {
        let data = try Data(contentsOf: FixturePaths.averaging.appendingPathComponent("expected.json"))
        return try JSONDecoder().decode(AveragingFixture.self, from: data)
    }
}

final class MemorySource: AveragingSource {
    let location: String
    var tensors: [String: (TensorLayout, [Float])]
    init(location: String, tensors: [String: (TensorLayout, [Float])]) {
        self.location = location
        self.tensors = tensors
    }
    var tensorNames: [String] { tensors.keys.sorted() }
    func layout(_ name: String) throws -> TensorLayout {
        guard let t = tensors[name] else { throw TrajectoryError.missingFile(path: location, what: name) }
        return t.0
    }
    func read(_ name: String, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        guard let t = tensors[name] else { throw TrajectoryError.missingFile(path: location, what: name) }
        for i in t.1.indices { buffer[i] = t.1[i] }
    }

    static func fromFixture(_ fixture: AveragingFixture) -> [MemorySource] {
        fixture.inputs_bf16_bits.enumerated().map { k, tensors in
            MemorySource(location: "checkpoint-\(fixture.steps[k])", tensors: tensors.reduce(into: [:]) { out, kv in
                out[kv.key] = (TensorLayout(name: kv.key, dtype: .bf16, shape: fixture.shapes[kv.key] ?? []),
                               kv.value.map { Float(bitPattern: UInt32($0) << 16) })
            })
        }
    }
}

final class MemorySink: AveragingSink {
    var values: [String: [Float]] = [:]
    var order: [String] = []
    var finished = false
    func append(_ name: String, values: UnsafeBufferPointer<Float>) throws {
        self.values[name] = Array(values)
        order.append(name)
    }
    func finish() throws { finished = true }
}

