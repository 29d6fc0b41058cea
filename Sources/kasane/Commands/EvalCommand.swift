import ArgumentParser
import Evaluation
import Foundation

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate one model on llm-jp-eval v1.4.1 datasets (4-shot prompts, greedy decoding, v1.4.1 scoring).",
        discussion: """
            Reads <evalsets>/evaluation/<split>/<name>.json (or <evalsets>/<version>/evaluation/...), scores the first
            --max-samples samples of each dataset with --shots examples from the train split, and writes
            OUT/predictions.jsonl and OUT/scores.json. See docs/EVALUATION.md for the choices made where llm-jp-eval
            v1.4.1 is ambiguous (stripping, BLEU, metrics that need neural models).
            """)

    @Option(help: "Checkpoint folder (config.json + *.safetensors, tokenizer.json unless --tokenizer).")
    var model: String?
    @Option(help: "tokenizer.json or a folder holding it (default: the model folder).")
    var tokenizer: String?
    @Option(help: "llm-jp-eval preprocessed data root.")
    var evalsets: String
    @Option(help: "Output folder for predictions.jsonl and scores.json.")
    var output: String?
    @Option(help: "Comma-separated dataset names (default: every file of the split).")
    var datasets: String?
    @Option(help: "Comma-separated categories: NLI,QA,RC,MC,EL,FA,MR,MT,HE,CG,SUM,STS.")
    var categories: String?
    @Option(help: "Few-shot examples per prompt (first samples of the train split).")
    var shots: Int = 4
    @Option(help: "Samples per dataset (first ones of the split); -1 for all.")
    var maxSamples: Int = 100
    @Option(help: "Split to score: dev or test.")
    var split: String = "dev"
    @Option(help: "Samples decoded together.")
    var batchSize: Int = 8
    @Flag(help: "Prefill every prompt whole instead of reusing the instruction+shots KV cache.")
    var noPrefixCache = false
    @Flag(help: "Add BOS when tokenizing prompts (v1.4.1 does not).")
    var addBos = false
    @Flag(help: "Do not strip whitespace from predictions after NFKC (v1.3.0 behaviour).")
    var noStrip = false
    @Option(help: "BLEU: sacrebleu (real corpus BLEU) or llm-jp-eval-compat (v1.4.1's character-aligned quirk).")
    var bleu: String = BleuMode.sacrebleu.rawValue
    @Option(help: "llm-jp-eval custom_prompt_template ({instruction}, {few_shots_text}, {input}).")
    var promptTemplate: String?
    @Option(help: "llm-jp-eval custom_fewshots_template ({input}, {output}).")
    var fewshotsTemplate: String?
    @Flag(help: "No progress line.")
    var quiet = false

    func evalOptions() throws -> EvalOptions {
        var o = EvalOptions()
        o.split = split
        o.shots = shots
        o.maxSamples = maxSamples
        o.datasets = datasets.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        o.categories = categories.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces).uppercased() } }
        o.batchSize = batchSize
        o.usePrefixCache = !noPrefixCache
        o.addBOS = addBos
        o.strip = !noStrip
        guard let mode = BleuMode(rawValue: bleu) else {
            throw ValidationError("--bleu must be one of: \(BleuMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        o.bleu = mode
        o.customPromptTemplate = promptTemplate
        o.customFewshotsTemplate = fewshotsTemplate
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be ≥ 1") }
        return o
    }

    /// Trajectory runs and the result store (issue 5): --checkpoints, --db, --steps, --last-fraction, --verify, --log.
    @OptionGroup(title: "Trajectory runs and the result store")
    var store: StoreOptions

    func run() async throws {
        if store.isActive {
            return try EvalTrajectory.run(store, model: model, evalsets: evalsets, evalOptions: try evalOptions(),
                                          tokenizer: tokenizer, quiet: quiet)
        }
        guard let model else { throw ValidationError("give --model (one checkpoint) or --checkpoints with --db") }
        guard let output else { throw ValidationError("--output is required (or --db to write a result store)") }
        let options = try evalOptions()
        let started = Date()
        let suite = try loadEvalSuite(root: evalsets, options: options)
        let backend = try LlamaBackend.load(modelDirectory: model, tokenizerPath: tokenizer)
        let runner = EvalRunner(evaluator: Evaluator(backend: backend, options: options), datasets: suite)
        let progress = ProgressLine(enabled: !quiet)
        runner.progress = { progress.show($0.line) }
        let result = try runner.run()
        progress.finish()
        let metadata = RunMetadata(kasaneVersion: KasaneVersion.string, modelPath: model,
                                   modelFingerprint: try ModelFingerprint.compute(directory: model),
                                   evalsetsRoot: evalsets, options: options, startedAt: started)
        try EvalReport.write(result, datasets: suite, metadata: metadata, to: output)
        print(EvalReport.summary(result))
        print("wrote \(output)/predictions.jsonl and \(output)/scores.json")
    }
}

/// One self-overwriting status line on stderr.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    private var width = 0
    init(enabled: Bool) { self.enabled = enabled }
    func show(_ text: String) {
        guard enabled else { return }
        let padded = text.count < width ? text + String(repeating: " ", count: width - text.count) : text
        width = text.count
        FileHandle.standardError.write(Data(("\r" + padded).utf8))
    }
    func finish() { if enabled && width > 0 { FileHandle.standardError.write(Data("\n".utf8)) } }
}
