import Foundation
import JSON
import Linalg

/// Everything `kasane pretrain` does besides printing: read the recipe, apply command-line overrides, tokenize the
/// corpus, and set up a `Trainer` that writes checkpoints into the output folder.
public struct PretrainJob {
    public struct Overrides: Sendable {
        public var steps: Int?
        public var saveEvery: Int?          // uniform saving every K steps (the recipe's dense schedule is dropped)
        public var seed: UInt64?
        public var dataSeed: UInt64?
        public init(steps: Int? = nil, saveEvery: Int? = nil, seed: UInt64? = nil, dataSeed: UInt64? = nil) {
            self.steps = steps; self.saveEvery = saveEvery; self.seed = seed; self.dataSeed = dataSeed
        }
    }

    public let recipe: TrainingRecipe
    public let config: TrainingModelConfig
    public let corpus: TrainingCorpus
    public let trainer: Trainer
    public let outputDirectory: String

    /// The tokenizer files a checkpoint carries, next to `tokenizer.json`.
    public static let tokenizerFileNames = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]

    public init(recipePath: String, overrides: Overrides, outputDirectory: String,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        var recipe = try TrainingRecipe.load(path: recipePath)
        if let s = overrides.steps { recipe.training.steps = s }
        if let k = overrides.saveEvery {
            recipe.checkpoints = .init(saveEvery: k, denseFrom: nil, denseEvery: nil)
        }
        if let s = overrides.seed { recipe.training.seed = s }
        if let s = overrides.dataSeed { recipe.training.dataSeed = s }
        if let (field, reason) = recipe.validationProblem() {
            throw TinyWorldError.badRecipe(file: recipePath, field: field, reason: reason + " (after command-line overrides)")
        }

        let tokenizer = try KasaneTrainingTokenizer(path: recipe.data.tokenizer)
        config = try recipe.modelConfig(tokenizerVocab: tokenizer.trainingVocabSize, bosTokenId: tokenizer.trainingBOS,
                                        eosTokenId: tokenizer.trainingEOS, file: recipePath)
        corpus = try TrainingCorpus.load(jsonl: recipe.data.corpus, tokenizer: tokenizer, workers: workers)

        var isDir: ObjCBool = false
        let tokPath = recipe.data.tokenizer
        let folder = FileManager.default.fileExists(atPath: tokPath, isDirectory: &isDir) && isDir.boolValue
            ? tokPath : URL(fileURLWithPath: tokPath).deletingLastPathComponent().path
        var files: [String] = []
        var extra: [String: Data] = [:]
        for name in Self.tokenizerFileNames {
            let candidate = name == "tokenizer.json" && !isDir.boolValue ? tokPath : folder + "/" + name
            if FileManager.default.fileExists(atPath: candidate) {
                files.append(candidate)
            } else if let generated = Self.defaultTokenizerFile(name, tokenizer: tokenizer) {
                extra[name] = generated
            }
        }
        self.recipe = recipe
        self.outputDirectory = outputDirectory
        let writer = CheckpointWriter(outputDirectory: outputDirectory, tokenizerFiles: files, extraFiles: extra)
        trainer = try Trainer(recipe: recipe, config: config, corpus: corpus, writer: writer, workers: workers)
    }

    /// tokenizer_config.json / special_tokens_map.json in LLM-jp-3's form, for tokenizer folders without them.
    static func defaultTokenizerFile(_ name: String, tokenizer: KasaneTrainingTokenizer) -> Data? {
        let t = tokenizer.tokenizer
        var specials: [String: JSONValue] = [:]
        if let s = t.token(for: tokenizer.trainingBOS) { specials["bos_token"] = .string(s) }
        if let s = t.token(for: tokenizer.trainingEOS) { specials["eos_token"] = .string(s) }
        if let s = t.token(for: 0) { specials["unk_token"] = .string(s) }
        var object: [String: JSONValue]
        switch name {
        case "special_tokens_map.json": object = specials
        case "tokenizer_config.json":
            object = specials
            object["tokenizer_class"] = "PreTrainedTokenizerFast"
            object["add_bos_token"] = true
            object["add_eos_token"] = false
            object["clean_up_tokenization_spaces"] = false
            object["model_max_length"] = .number(1_000_000_000_000_000_019_884_624_838_656.0)
        default: return nil
        }
        return Data((JSONWriter.string(.dictionary(object), layout: .indented(2), sortKeys: true) + "\n").utf8)
    }
}

extension PretrainJob {
    /// `kasane pretrain`: loads the recipe, tokenizes the corpus and trains, handing `report` the summary, a progress
    /// line every `logEvery` steps and at each checkpoint, and the closing line. Overrides are checked with the
    /// recipe (a bad `--steps` names its recipe field).
    public static func run(recipePath: String, overrides: Overrides, outputDirectory: String, logEvery: Int,
                           report: (String) -> Void) throws {
        guard logEvery >= 1 else { throw TinyWorldError.badOption(option: "--log-every", reason: "must be at least 1") }
        let started = Date()
        let job = try PretrainJob(recipePath: recipePath, overrides: overrides, outputDirectory: outputDirectory)
        job.summaryLines(tokenizeSeconds: Date().timeIntervalSince(started)).forEach(report)
        var saved = 0
        try job.trainer.run { p in
            if p.savedCheckpoint != nil { saved += 1 }
            if p.step % logEvery == 0 || p.savedCheckpoint != nil || p.step == p.totalSteps { report(p.line) }
        }
        report("wrote \(saved) checkpoints to \(outputDirectory) in \(DurationText.format(Date().timeIntervalSince(started)))")
    }
}
