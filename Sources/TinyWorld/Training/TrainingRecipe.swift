import Foundation
import JSON

/// A pretraining recipe (`models/tiny-world.recipe.json`); the schema is documented in docs/FORMATS.md.
public struct TrainingRecipe: Sendable, Equatable {
    public struct Model: Sendable, Equatable {
        public var hiddenSize, intermediateSize, numLayers, numHeads: Int
        public var numKVHeads: Int?, headDim: Int?, vocabSize: Int?, maxPositionEmbeddings: Int?
        public var rmsNormEps: Float = 1e-5, ropeTheta: Double = 10000, initializerRange: Float = 0.02
    }
    public struct Data: Sendable, Equatable {
        public var corpus: String       // absolute after loading
        public var tokenizer: String    // absolute after loading
        public var seqLen: Int
    }
    public struct Training: Sendable, Equatable {
        public var steps: Int, batchSize: Int
        public var lr: Float, minLR: Float = 0, warmupSteps: Int = 0
        public var schedule: LearningRateSchedule.Shape = .cosine
        public var weightDecay: Float = 0.1, beta1: Float = 0.9, beta2: Float = 0.95, adamEps: Float = 1e-8
        public var gradClip: Float = 1.0
        public var seed: UInt64 = 1234, dataSeed: UInt64 = 1234
    }
    public struct Checkpoints: Sendable, Equatable {
        public var saveEvery: Int
        public var denseFrom: Int?, denseEvery: Int?

        /// Whether a checkpoint is written after `step` of a run of `total` steps (always after the last one).
        public func saves(step: Int, total: Int) -> Bool {
            if step == total { return true }
            if let from = denseFrom, let every = denseEvery, step >= from { return (step - from) % every == 0 }
            return step % saveEvery == 0
        }
    }

    public var model: Model
    public var data: Data
    public var training: Training
    public var checkpoints: Checkpoints

    /// Reads and validates a recipe; relative paths resolve against the recipe's folder.
    public static func load(path: String) throws -> TrainingRecipe {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw TinyWorldError.unreadable(file: path, reason: "no such file")
        }
        guard let root = (try? JSONParser.parse(Array(bytes), file: path))?.dictionaryValue else {
            throw TinyWorldError.badRecipe(file: path, field: "(root)", reason: "not a JSON object")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(root, file: path, baseDirectory: base.path)
    }

    static func parse(_ root: [String: JSONValue], file: String, baseDirectory: String) throws -> TrainingRecipe {
        var top = JSONFields(root, file: file, prefix: "")
        var m = try top.section("model"), d = try top.section("data")
        var t = try top.section("training"), c = try top.section("checkpoints")
        try top.finish()

        var model = Model(hiddenSize: try m.int("hidden_size"), intermediateSize: try m.int("intermediate_size"),
                          numLayers: try m.int("num_hidden_layers"), numHeads: try m.int("num_attention_heads"))
        model.numKVHeads = try m.optionalInt("num_key_value_heads")
        model.headDim = try m.optionalInt("head_dim")
        model.vocabSize = try m.optionalInt("vocab_size")
        model.maxPositionEmbeddings = try m.optionalInt("max_position_embeddings")
        if let v = try m.optionalDouble("rms_norm_eps") { model.rmsNormEps = Float(v) }
        if let v = try m.optionalDouble("rope_theta") { model.ropeTheta = v }
        if let v = try m.optionalDouble("initializer_range") { model.initializerRange = Float(v) }
        try m.finish()

        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : URL(fileURLWithPath: baseDirectory).appendingPathComponent(p).standardized.path
        }
        let data = Data(corpus: resolve(try d.string("corpus")), tokenizer: resolve(try d.string("tokenizer")),
                        seqLen: try d.int("seq_len"))
        try d.finish()

        var training = Training(steps: try t.int("steps"), batchSize: try t.int("batch_size"),
                                lr: Float(try t.double("lr")))
        if let v = try t.optionalDouble("min_lr") { training.minLR = Float(v) }
        if let v = try t.optionalInt("warmup_steps") { training.warmupSteps = v }
        if let v = try t.optionalString("schedule") {
            guard let shape = LearningRateSchedule.Shape(rawValue: v) else {
                throw TinyWorldError.badRecipe(file: file, field: "training.schedule",
                                              reason: "expected \"cosine\" or \"constant\", found \"\(v)\"")
            }
            training.schedule = shape
        }
        if let v = try t.optionalDouble("weight_decay") { training.weightDecay = Float(v) }
        if let v = try t.optionalDouble("beta1") { training.beta1 = Float(v) }
        if let v = try t.optionalDouble("beta2") { training.beta2 = Float(v) }
        if let v = try t.optionalDouble("adam_eps") { training.adamEps = Float(v) }
        if let v = try t.optionalDouble("grad_clip") { training.gradClip = Float(v) }
        if let v = try t.optionalSeed("seed") { training.seed = v }
        if let v = try t.optionalSeed("data_seed") { training.dataSeed = v }
        try t.finish()

        let checkpoints = Checkpoints(saveEvery: try c.int("save_every"), denseFrom: try c.optionalInt("dense_from"),
                                      denseEvery: try c.optionalInt("dense_every"))
        try c.finish()

        let recipe = TrainingRecipe(model: model, data: data, training: training, checkpoints: checkpoints)
        if let (field, reason) = recipe.validationProblem() {
            throw TinyWorldError.badRecipe(file: file, field: field, reason: reason)
        }
        return recipe
    }

    /// The first field whose value cannot be trained with, and why.
    public func validationProblem() -> (String, String)? {
        if data.seqLen < 2 { return ("data.seq_len", "must be at least 2") }
        if training.steps < 1 { return ("training.steps", "must be at least 1") }
        if training.batchSize < 1 { return ("training.batch_size", "must be at least 1") }
        if !(training.lr > 0) || !training.lr.isFinite { return ("training.lr", "must be positive") }
        if training.minLR < 0 || training.minLR > training.lr { return ("training.min_lr", "must be in [0, lr]") }
        if training.warmupSteps < 0 { return ("training.warmup_steps", "must be >= 0") }
        if training.weightDecay < 0 { return ("training.weight_decay", "must be >= 0") }
        if !(0..<1).contains(training.beta1) { return ("training.beta1", "must be in [0, 1)") }
        if !(0..<1).contains(training.beta2) { return ("training.beta2", "must be in [0, 1)") }
        if !(training.adamEps > 0) { return ("training.adam_eps", "must be positive") }
        if training.gradClip < 0 { return ("training.grad_clip", "must be >= 0 (0 disables clipping)") }
        if checkpoints.saveEvery < 1 { return ("checkpoints.save_every", "must be at least 1") }
        if (checkpoints.denseFrom == nil) != (checkpoints.denseEvery == nil) {
            return ("checkpoints.dense_every", "dense_from and dense_every go together")
        }
        if let e = checkpoints.denseEvery, e < 1 { return ("checkpoints.dense_every", "must be at least 1") }
        if let f = checkpoints.denseFrom, f < 0 { return ("checkpoints.dense_from", "must be >= 0") }
        if let p = model.maxPositionEmbeddings, p < data.seqLen {
            return ("model.max_position_embeddings", "must be >= data.seq_len (\(data.seqLen))")
        }
        return nil
    }

    /// The model config for a tokenizer of `tokenizerVocab` entries: vocab defaults to that, rounded up to 64.
    public func modelConfig(tokenizerVocab: Int, bosTokenId: Int, eosTokenId: Int, file: String) throws
        -> TrainingModelConfig {
        let vocab = model.vocabSize ?? ((tokenizerVocab + 63) / 64 * 64)
        if vocab < tokenizerVocab {
            throw TinyWorldError.badRecipe(file: file, field: "model.vocab_size",
                                          reason: "\(vocab) is smaller than the tokenizer's \(tokenizerVocab)")
        }
        let config = TrainingModelConfig(
            hiddenSize: model.hiddenSize, intermediateSize: model.intermediateSize, numLayers: model.numLayers,
            numHeads: model.numHeads, numKVHeads: model.numKVHeads ?? model.numHeads, headDim: model.headDim,
            vocabSize: vocab, maxPositionEmbeddings: model.maxPositionEmbeddings ?? data.seqLen,
            rmsNormEps: model.rmsNormEps, ropeTheta: model.ropeTheta, initializerRange: model.initializerRange,
            bosTokenId: bosTokenId, eosTokenId: eosTokenId)
        if let (field, reason) = config.validationProblem() {
            throw TinyWorldError.badRecipe(file: file, field: "model." + field, reason: reason)
        }
        return config
    }
}

/// Typed reads from a JSON object that remember which keys were used, so unknown keys (typos) are reported.
struct JSONFields {
    let object: [String: JSONValue]
    let file: String
    let prefix: String
    private var used: Set<String> = []

    init(_ object: [String: JSONValue], file: String, prefix: String) {
        self.object = object; self.file = file; self.prefix = prefix
    }

    private func fail(_ key: String, _ reason: String) -> TinyWorldError {
        .badRecipe(file: file, field: prefix + key, reason: reason)
    }

    mutating func section(_ key: String) throws -> JSONFields {
        used.insert(key)
        guard let v = object[key] else { throw fail(key, "missing") }
        guard let o = v.dictionaryValue else { throw fail(key, "expected an object") }
        return JSONFields(o, file: file, prefix: prefix + key + ".")
    }

    private mutating func value(_ key: String) -> JSONValue? {
        used.insert(key)
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    mutating func optionalDouble(_ key: String) throws -> Double? {
        guard let v = value(key) else { return nil }
        guard let n = v.doubleValue, n.isFinite else {
            throw fail(key, "expected a number")
        }
        return n
    }

    mutating func optionalInt(_ key: String) throws -> Int? {
        guard let d = try optionalDouble(key) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else { throw fail(key, "expected an integer, found \(d)") }
        return Int(d)
    }

    mutating func optionalSeed(_ key: String) throws -> UInt64? {
        guard let i = try optionalInt(key) else { return nil }
        guard i >= 0 else { throw fail(key, "expected a non-negative integer") }
        return UInt64(i)
    }

    mutating func optionalString(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw fail(key, "expected a string") }
        return s
    }

    mutating func double(_ key: String) throws -> Double {
        guard let v = try optionalDouble(key) else { throw fail(key, "missing") }
        return v
    }

    mutating func int(_ key: String) throws -> Int {
        guard let v = try optionalInt(key) else { throw fail(key, "missing") }
        return v
    }

    mutating func string(_ key: String) throws -> String {
        guard let v = try optionalString(key) else { throw fail(key, "missing") }
        return v
    }

    func finish() throws {
        if let unknown = object.keys.sorted().first(where: { !used.contains($0) }) {
            throw fail(unknown, "unknown key")
        }
    }
}
