import Foundation
import JSON

/// Averages checkpoint folders of one run and writes Hugging Face checkpoints: `model.safetensors`, the first
/// member's config.json (torch_dtype updated for --dtype) and tokenizer files, and `kasane_average.json`.
public struct CheckpointAveraging {
    public struct Input: Sendable {
        public var step: Int
        public var directory: String
        public init(step: Int, directory: String) {
            self.step = step
            self.directory = directory
        }
    }

    public var checkpoints: [Input]
    public var window: CheckpointWindow
    public var weights: AveragingWeights
    public var dtype: AveragingDType?

    public init(checkpoints: [Input], window: CheckpointWindow, weights: AveragingWeights = .uniform,
                dtype: AveragingDType? = nil) {
        self.checkpoints = checkpoints.sorted { $0.step < $1.step }
        self.window = window
        self.weights = weights
        self.dtype = dtype
    }

    /// Files copied from the window's newest member next to the averaged weights.
    public static let copiedFiles = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                                     "special_tokens_map.json", "tokenizer.model", "added_tokens.json", "vocab.json",
                                     "merges.txt"]

    /// Writes one folder per job under `output`, named `checkpoint-<step>`. Returns the written folders.
    public func write(at steps: [Int]?, output: String,
                      progress: (String) -> Void = { _ in }) throws -> (folders: [String], stats: Averager.Statistics) {
        let jobs = try AveragingPlan.jobs(steps: checkpoints.map(\.step), window: window, at: steps)
        guard !jobs.isEmpty else {
            throw TrajectoryError.tooFewCheckpoints(needed: window.size, found: checkpoints.count,
                                                    context: "averaging with a \(window.alignment.rawValue) window")
        }
        try checkConsistency(Set(jobs.flatMap { Array($0.members) }).sorted())
        let sources = try checkpoints.map { try WeightStoreSource(directory: $0.directory) }
        let averager = Averager(sources: sources, weights: weights)
        let layouts = try averager.validate(jobs)
        var folders: [String] = []
        var sinks: [any AveragingSink] = []
        for job in jobs {
            let folder = (output as NSString).appendingPathComponent("checkpoint-\(job.step)")
            try createFolder(folder)
            let members = job.members.map { checkpoints[$0].step }
            let metadata = ["format": "pt"]
            sinks.append(try SafeTensorsSink(path: (folder as NSString).appendingPathComponent("model.safetensors"),
                                             layouts: layouts, dtype: dtype, metadata: metadata))
            try copySideFiles(from: checkpoints[job.members.upperBound - 1].directory, to: folder)
            try writeDescription(folder: folder, job: job, members: members)
            folders.append(folder)
        }
        progress("averaging \(jobs.count) model(s), \(layouts.count) tensors each")
        try averager.run(jobs, layouts: layouts, outputDType: dtype, sinks: sinks)
        return (folders, averager.statistics)
    }

    /// Averages one position in memory (for evaluation without writing), rounded to the output dtype.
    public func inMemory(step: Int) throws -> (job: AveragingJob, tensors: [String: (layout: TensorLayout, values: [Float])]) {
        let jobs = try AveragingPlan.jobs(steps: checkpoints.map(\.step), window: window, at: [step])
        guard let job = jobs.first else {
            throw TrajectoryError.invalidOption(option: "--at", value: String(step), expected: "a step with a full window")
        }
        try checkConsistency(Array(job.members))
        let sources = try checkpoints.map { try WeightStoreSource(directory: $0.directory) }
        let averager = Averager(sources: sources, weights: weights)
        let layouts = try averager.validate([job])
        let sink = InMemorySink(layouts: layouts, dtype: dtype)
        try averager.run([job], layouts: layouts, outputDType: dtype, sinks: [sink])
        return (job, sink.tensors)
    }

    /// Members must share the architecture fields of config.json and the tokenizer.
    func checkConsistency(_ positions: [Int]) throws {
        guard let first = positions.first else { return }
        let reference = checkpoints[first].directory
        let referenceConfig = try CheckpointFiles.readConfig(folder: reference)
        let referenceTokenizer = FileManager.default.contents(atPath: (reference as NSString).appendingPathComponent("tokenizer.json"))
        for p in positions.dropFirst() {
            let dir = checkpoints[p].directory
            try ConfigConsistency.check(try CheckpointFiles.readConfig(folder: dir), at: dir, against: referenceConfig, at: reference)
            let tokenizer = FileManager.default.contents(atPath: (dir as NSString).appendingPathComponent("tokenizer.json"))
            if tokenizer != referenceTokenizer {
                throw TrajectoryError.checkpoint(path: dir + "/tokenizer.json",
                                                 reason: "differs from \(reference)/tokenizer.json; averaged members must share the tokenizer")
            }
        }
    }

    /// The config as JSONSerialization objects: averaged folders keep writing config.json through it (pretty, sorted
    /// keys), so their bytes stay what earlier versions wrote.
    static func foundationObject(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case let .bool(b): return b
        case let .integer(i): return i
        case let .number(d): return d
        case let .string(s): return s
        case let .array(a): return a.map(foundationObject)
        case let .object(pairs): return Dictionary(pairs.map { ($0.0, foundationObject($0.1)) }, uniquingKeysWith: { _, last in last })
        }
    }

    func createFolder(_ folder: String) throws {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw TrajectoryError.output(path: folder, reason: "cannot create (\(error.localizedDescription))")
        }
    }

    func copySideFiles(from source: String, to folder: String) throws {
        let fm = FileManager.default
        for name in Self.copiedFiles {
            let src = (source as NSString).appendingPathComponent(name)
            let dst = (folder as NSString).appendingPathComponent(name)
            guard fm.fileExists(atPath: src) else { continue }
            do {
                if name == "config.json", let dtype {
                    var config = try CheckpointFiles.readConfig(folder: source).mapValues(Self.foundationObject)
                    config["torch_dtype"] = ["F32": "float32", "F16": "float16", "BF16": "bfloat16"][dtype.rawValue]
                    let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
                    try data.write(to: URL(fileURLWithPath: dst), options: .atomic)
                } else {
                    if fm.fileExists(atPath: dst) { try fm.removeItem(atPath: dst) }
                    try fm.copyItem(atPath: src, toPath: dst)
                }
            } catch let error as TrajectoryError {
                throw error
            } catch {
                throw TrajectoryError.output(path: dst, reason: "cannot copy from \(src) (\(error.localizedDescription))")
            }
        }
    }

    func writeDescription(folder: String, job: AveragingJob, members: [Int]) throws {
        let description: [String: Any] = [
            "kind": "average", "step": job.step, "window": window.size, "align": window.alignment.rawValue,
            "weights": weights.description, "members": members,
            "member_folders": job.members.map { checkpoints[$0].directory },
            "dtype": dtype?.rawValue ?? "source", "accumulation": "fp64, rounded once to the output dtype",
        ]
        let path = (folder as NSString).appendingPathComponent("kasane_average.json")
        do {
            let data = try JSONSerialization.data(withJSONObject: description, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrajectoryError.output(path: path, reason: error.localizedDescription)
        }
    }
}
