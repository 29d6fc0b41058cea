import Foundation

/// One item of an llm-jp-eval dataset file: `{"input": ..., "output": ...}`.
public struct EvalSample: Codable, Sendable, Equatable {
    public var input: String
    public var output: String
    public init(input: String, output: String) { self.input = input; self.output = output }
}

/// A dataset ready to evaluate: the header of `<split>/<name>.json`, its samples (already cut to the sample limit)
/// and its few-shot examples (the first samples of `train/<name>.json`).
public struct EvalDataset: Sendable {
    public var name: String
    public var instruction: String
    public var outputLength: Int
    public var metrics: [String]
    public var samples: [EvalSample]
    public var shots: [EvalSample]
    /// SHA-256 (hex) of the split file's bytes, so results can be tied to the exact data.
    public var contentHash: String
    /// The file the samples came from (for error messages and metadata).
    public var path: String

    public init(name: String, instruction: String, outputLength: Int, metrics: [String], samples: [EvalSample],
                shots: [EvalSample], contentHash: String = "", path: String = "") {
        self.name = name; self.instruction = instruction; self.outputLength = outputLength
        self.metrics = metrics; self.samples = samples; self.shots = shots
        self.contentHash = contentHash; self.path = path
    }

    /// v1.4.1's category of this dataset, nil when it is not in the v1.4.1 table.
    public var category: String? { Categories.category(of: name) }
}
