import Foundation
@testable import Llama
import SafeTensors

/// Paths and golden data written by tools/make_fixtures.py (transformers fp32, eager attention).
enum Fixtures {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        url.appendPathComponent("Fixtures")
        return url.path
    }()

    static let models = ["mha-f32-untied-4x", "gqa-bf16-tied-5x", "hd96-f16-sharded-4x", "headdim192-bf16-5x",
                         "llama3rope-f32-4x"]

    static func directory(_ name: String) -> String { root + "/" + name }

    struct Golden: Decodable {
        let prompts: [[Int]]
        let logits: [[[Float]]]
        let greedy: [[Int]]
        let max_new_tokens: Int
        let eos_token_ids: [Int]
    }

    static func golden(_ name: String) throws -> Golden {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory(name) + "/golden.json"))
        return try JSONDecoder().decode(Golden.self, from: data)
    }

    static func model(_ name: String) throws -> LlamaModel { try LlamaModel(directory: directory(name)) }

    /// Every tensor of a fixture checkpoint, in memory and in fp32.
    static func inMemory(_ name: String) throws -> InMemoryWeights {
        let store = try WeightStore(directory: directory(name))
        var tensors: [String: (TensorInfo, [Float])] = [:]
        for n in store.tensorNames {
            let info = try store.info(n)
            tensors[n] = (TensorInfo(name: n, dtype: .f32, shape: info.shape), try store.floats(n))
        }
        return InMemoryWeights(tensors)
    }

    /// The largest violation of |ours − theirs| ≤ 1e-4·(1 + |theirs|), as a multiple of the tolerance (≤ 1 passes).
    static func worstLogitError(_ ours: [[Float]], _ theirs: [[Float]]) -> Double {
        guard ours.count == theirs.count else { return .infinity }
        var worst = 0.0
        for (a, b) in zip(ours, theirs) {
            guard a.count == b.count else { return .infinity }
            for (x, y) in zip(a, b) {
                let err = Double(abs(x - y)) / (1e-4 * (1 + Double(abs(y))))
                if !(err <= worst) { worst = err.isNaN ? .infinity : err }
            }
        }
        return worst
    }
}
