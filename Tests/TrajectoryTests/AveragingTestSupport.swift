import Foundation
import Llama
import SafeTensors
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

/// Checkpoints held in memory, named like folders so errors can be checked for the checkpoint they name.
final class MemorySource: WeightSource {
    let location: String
    var tensors: [String: (TensorInfo, [Float])]
    init(location: String, tensors: [String: (TensorInfo, [Float])]) {
        self.location = location
        self.tensors = tensors
    }
    var sourceDescription: String { location }
    var tensorNames: [String] { tensors.keys.sorted() }
    func info(_ name: String) throws -> TensorInfo {
        guard let t = tensors[name] else { throw TrajectoryError.missingFile(path: location, what: name) }
        return t.0
    }
    func floats(_ name: String) throws -> [Float] {
        guard let t = tensors[name] else { throw TrajectoryError.missingFile(path: location, what: name) }
        return t.1
    }

    static func fromFixture(_ fixture: AveragingFixture) -> [MemorySource] {
        fixture.inputs_bf16_bits.enumerated().map { k, tensors in
            MemorySource(location: "checkpoint-\(fixture.steps[k])", tensors: tensors.reduce(into: [:]) { out, kv in
                out[kv.key] = (TensorInfo(name: kv.key, dtype: .bf16, shape: fixture.shapes[kv.key] ?? []),
                               kv.value.map { Float(bitPattern: UInt32($0) << 16) })
            })
        }
    }
}

extension Averager {
    /// Every job's average of every tensor, asked for tensor by tensor in job order as the writer asks.
    func averageAll(_ jobs: [AveragingJob], tensors: [TensorInfo], dtype: DType?) throws -> [[String: [Float]]] {
        var out = jobs.map { _ in [String: [Float]]() }
        for tensor in tensors {
            for (j, job) in jobs.enumerated() {
                var values = [Float](repeating: 0, count: tensor.count)
                try values.withUnsafeMutableBufferPointer { try average(job, tensor: tensor, dtype: dtype, into: $0) }
                out[j][tensor.name] = values
            }
        }
        return out
    }
}
