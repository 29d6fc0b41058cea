import Evaluation
import Foundation
import JSON
import SafeTensors

/// Averaging over one run's checkpoints: the averaged models as weight sources (evaluated without writing them),
/// their store rows, and `kasane average`'s Hugging Face folders.
public final class CheckpointAveraging: @unchecked Sendable {
    /// The whole run in step order (window members may lie outside an evaluated selection).
    public let checkpoints: [Checkpoint]
    public let window: CheckpointWindow
    public let weights: AveragingWeights
    /// The output dtype; nil keeps each tensor's own.
    public let dtype: DType?
    private var memberFingerprints: [Int: String] = [:]
    private let lock = NSLock()

    public init(checkpoints: [Checkpoint], window: CheckpointWindow, weights: AveragingWeights = .uniform,
                dtype: DType? = nil) {
        self.checkpoints = checkpoints.sorted { $0.step < $1.step }
        self.window = window
        self.weights = weights
        self.dtype = dtype
    }

    /// Averaging over every checkpoint of a run folder or list file (`kasane average`).
    public convenience init(run: String, window: CheckpointWindow, weights: AveragingWeights = .uniform,
                            dtype: DType? = nil) throws {
        self.init(checkpoints: try CheckpointIndex(path: run).checkpoints, window: window, weights: weights, dtype: dtype)
    }

    /// Jobs at `steps` (nil: every step with a full window), in position order.
    public func jobs(at steps: [Int]?) throws -> [AveragingJob] {
        try AveragingPlan.jobs(steps: checkpoints.map(\.step), window: window, at: steps)
    }

    /// The checkpoints (among `selected`, default all) at which a full window exists.
    public func targets(_ selected: [Checkpoint]? = nil) -> [Checkpoint] {
        let defined = Set(window.definedPositions(count: checkpoints.count).map { checkpoints[$0].step })
        return (selected ?? checkpoints).filter { defined.contains($0.step) }
    }

    /// The averaged model standing for `step`, averaging each tensor when asked: `LlamaModel(config:weights:)`
    /// loads it without holding the members. Only the members are opened.
    public func weights(at step: Int) throws -> AveragedWeights {
        let job = try job(at: step)
        try checkConsistency(Array(job.members))
        let members = try job.members.map { try WeightStore(directory: checkpoints[$0].path) }
        let local = AveragingJob(position: job.position - job.members.lowerBound, step: job.step,
                                 members: 0..<members.count)
        let averager = Averager(sources: members, weights: weights)
        return AveragedWeights(job: local, averager: averager, tensors: try averager.validate([local]), dtype: dtype,
                               description: "average of steps " + memberSteps(job).map(String.init).joined(separator: ","))
    }

    /// The store row of the averaged model standing for `checkpoint`: its fingerprint hashes the members'
    /// fingerprints and the averaging parameters, so a changed member makes a new row.
    public func modelSpec(for checkpoint: Checkpoint) throws -> ModelSpec {
        let job = try job(at: checkpoint.step)
        var hasher = SHA256()
        hasher.update("average|\(window.size)|\(window.alignment.rawValue)|\(weights)|\(dtype?.rawValue ?? "source")")
        for p in job.members { hasher.update("|" + (try fingerprint(p))) }
        return ModelSpec(kind: .average, step: checkpoint.step, window: window.size, align: window.alignment.rawValue,
                         weights: weights.description, members: memberSteps(job), fingerprint: hasher.finalizeHex())
    }

    /// What `write` made: the folders, what the averager read, and how long it took.
    public struct Written: Sendable {
        public var folders: [String]
        public var statistics: Averager.Statistics
        public var seconds: Double

        /// `kasane average`'s printout: the folders, then a line on the work.
        public var lines: [String] { folders + [statistics.line(models: folders.count, seconds: seconds)] }
    }

    /// Writes `<output>/checkpoint-<step>/` per job: `model.safetensors`, the newest member's config.json
    /// (torch_dtype following `dtype`) and tokenizer files, and `kasane_average.json`. One shared averager serves
    /// every job tensor by tensor, so uniform windows slide.
    public func write(at steps: [Int]?, output: String, progress: (String) -> Void = { _ in }) throws -> Written {
        let started = Date()
        let jobs = try jobs(at: steps)
        guard !jobs.isEmpty else {
            throw TrajectoryError.tooFewCheckpoints(needed: window.size, found: checkpoints.count,
                                                    context: "averaging with a \(window.alignment.rawValue) window")
        }
        try checkConsistency(Set(jobs.flatMap { Array($0.members) }).sorted())
        let averager = Averager(sources: try checkpoints.map { try WeightStore(directory: $0.path) }, weights: weights)
        let tensors = try averager.validate(jobs)
        let outputs = tensors.map { TensorInfo(name: $0.name, dtype: dtype ?? $0.dtype, shape: $0.shape) }
        var folders: [String] = []
        var writers: [SafeTensorsWriter] = []
        for job in jobs {
            let folder = (output as NSString).appendingPathComponent("checkpoint-\(job.step)")
            try createFolder(folder)
            writers.append(try SafeTensorsWriter(path: (folder as NSString).appendingPathComponent("model.safetensors"),
                                                 tensors: outputs, metadata: ["format": "pt"]))
            try copySideFiles(from: checkpoints[job.members.upperBound - 1].path, to: folder)
            try writeDescription(folder: folder, job: job)
            folders.append(folder)
        }
        progress("averaging \(jobs.count) model(s), \(tensors.count) tensors each")
        let models = jobs.map { AveragedWeights(job: $0, averager: averager, tensors: tensors, dtype: dtype,
                                                description: "average at step \($0.step)") }
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, tensors.map(\.count).max() ?? 0))
        defer { buffer.deallocate() }
        for tensor in tensors {
            let values = UnsafeMutableBufferPointer(rebasing: buffer[0..<tensor.count])
            for j in models.indices {
                try models[j].copyFloats(tensor.name, into: values)
                try writers[j].append(tensor.name, floats: UnsafeBufferPointer(values))
            }
        }
        for j in writers.indices { try writers[j].finish() }
        return Written(folders: folders, statistics: averager.statistics, seconds: Date().timeIntervalSince(started))
    }

    /// Members must share the architecture fields of config.json and the tokenizer.
    func checkConsistency(_ positions: [Int]) throws {
        guard let first = positions.first else { return }
        let reference = CheckpointFolder(checkpoints[first].path)
        for p in positions.dropFirst() {
            try CheckpointFolder(checkpoints[p].path).checkCompatible(with: reference, tokenizer: true)
        }
    }

    private func job(at step: Int) throws -> AveragingJob {
        guard let job = try jobs(at: [step]).first else {
            throw TrajectoryError.invalidOption(option: "--average-window", value: String(window.size),
                                                expected: "a window that fits at step \(step)")
        }
        return job
    }

    private func memberSteps(_ job: AveragingJob) -> [Int] { job.members.map { checkpoints[$0].step } }

    private func fingerprint(_ position: Int) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let known = memberFingerprints[position] { return known }
        let value = try CheckpointFolder(checkpoints[position].path).fingerprint().fingerprint
        memberFingerprints[position] = value
        return value
    }

    /// Files copied from the window's newest member next to the averaged weights.
    static let copiedFiles = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                              "special_tokens_map.json", "tokenizer.model", "added_tokens.json", "vocab.json",
                              "merges.txt"]

    private func createFolder(_ folder: String) throws {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw TrajectoryError.output(path: folder, reason: "cannot create (\(error.localizedDescription))")
        }
    }

    private func copySideFiles(from source: String, to folder: String) throws {
        let fm = FileManager.default
        for name in Self.copiedFiles {
            let src = (source as NSString).appendingPathComponent(name)
            let dst = (folder as NSString).appendingPathComponent(name)
            guard fm.fileExists(atPath: src) else { continue }
            do {
                if name == "config.json", let dtype {
                    var config = try CheckpointFolder(source).config()
                    config["torch_dtype"] = .string(["F32": "float32", "F16": "float16", "BF16": "bfloat16"][dtype.rawValue]!)
                    try write(.object(config.sorted { $0.key < $1.key }), to: dst)
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

    private func writeDescription(folder: String, job: AveragingJob) throws {
        let description: JSONValue = [
            "kind": "average", "step": .integer(job.step), "window": .integer(window.size),
            "align": .string(window.alignment.rawValue), "weights": .string(weights.description),
            "members": .array(memberSteps(job).map(JSONValue.integer)),
            "member_folders": .array(job.members.map { .string(checkpoints[$0].path) }),
            "dtype": .string(dtype?.rawValue ?? "source"), "accumulation": "fp64, rounded once to the output dtype",
        ]
        try write(description, to: (folder as NSString).appendingPathComponent("kasane_average.json"))
    }

    private func write(_ value: JSONValue, to path: String) throws {
        let text = JSONWriter.string(value, layout: .indented(2), sortKeys: true) + "\n"
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw TrajectoryError.output(path: path, reason: error.localizedDescription)
        }
    }
}
