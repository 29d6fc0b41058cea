import Evaluation
import Foundation
@testable import Trajectory

/// Deterministic stand-ins for a run's models behind the real Evaluator: tokens are Unicode scalars, and the model
/// of step s answers example i ("入力i") with "A" or "B" by the parity of s/100 + i, then a blank line.
final class SyntheticModels {
    struct Crash: Error {}
    let suite: [EvalDataset]
    let options: EvalOptions
    /// Generation fails after this many batches (over every model made by this object).
    var crashAfterBatches: Int?
    fileprivate(set) var batchesGenerated = 0
    fileprivate(set) var examplesGenerated = 0
    private(set) var loads: [Int] = []

    init(sizes: [String: Int] = ["jnli": 7, "jsquad": 5], batchSize: Int = 3, crashAfterBatches: Int? = nil) {
        suite = sizes.keys.sorted().map { name in
            EvalDataset(name: name, instruction: "答えてください。", outputLength: 5, metrics: ["exact_match"],
                        samples: (0..<sizes[name]!).map { EvalSample(input: "入力\($0)", output: "A") }, shots: [],
                        contentHash: "hash-\(name)", path: "\(name).json")
        }
        var options = EvalOptions()
        options.batchSize = batchSize
        self.options = options
        self.crashAfterBatches = crashAfterBatches
    }

    func generator(_ checkpoint: Checkpoint) -> SyntheticGenerator {
        loads.append(checkpoint.step)
        return SyntheticGenerator(step: checkpoint.step, owner: self)
    }

    func runner(_ store: ResultStore, runName: String = "run", settings: StoreSettings = StoreSettings(["shots": "4"]), verify: Bool = false,
                variant: (@Sendable (Checkpoint) throws -> ModelSpec)? = nil, log: String? = nil,
                events: TrajectoryEvents = TrajectoryEvents()) throws -> TrajectoryRunner<SyntheticGenerator> {
        TrajectoryRunner(store: store, suite: suite, evalOptions: options,
                         options: .init(runName: runName, source: "ckpts", settings: settings, verify: verify,
                                        variant: variant),
                         log: try RunLog(path: log), events: events, makeGenerator: generator)
    }
}

final class SyntheticGenerator: TextGenerator {
    let step: Int
    unowned let owner: SyntheticModels
    init(step: Int, owner: SyntheticModels) { self.step = step; self.owner = owner }

    func encode(_ text: String, addBOS: Bool) throws -> [Int] { ScalarText.encode(text) }
    func decode(_ ids: [Int]) throws -> String { ScalarText.decode(ids) }
    func makePrefix(tokens: [Int]) throws -> [Int] { tokens }

    func generate(prompts: [[Int]], maxNewTokens: Int, prefix: [Int]?,
                  shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] {
        if let limit = owner.crashAfterBatches, owner.batchesGenerated >= limit { throw SyntheticModels.Crash() }
        owner.batchesGenerated += 1
        owner.examplesGenerated += prompts.count
        return try prompts.enumerated().map { k, prompt in
            let text = try decode(prompt)
            let digits = text.components(separatedBy: "入力").last?.prefix { $0.isNumber } ?? ""
            let answer = (step / 100 + (Int(digits) ?? 0)) % 2 == 0 ? "A" : "B"
            var out: [Int] = []
            for token in try encode(answer + "\n\nrest", addBOS: false).prefix(maxNewTokens) {
                out.append(token)
                if shouldStop(k, out) { break }
            }
            return out
        }
    }
}

/// Test tokenization: one token per Unicode scalar.
enum ScalarText {
    static func encode(_ text: String) -> [Int] { text.unicodeScalars.map { Int($0.value) } }
    static func decode(_ ids: [Int]) -> String {
        String(String.UnicodeScalarView(ids.compactMap { Unicode.Scalar(UInt32($0)) }))
    }
}
