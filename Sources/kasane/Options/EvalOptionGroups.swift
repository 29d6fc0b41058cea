import ArgumentParser
import Evaluation
import Trajectory

/// What to evaluate and how: the llm-jp-eval v1.4.1 settings shared by `eval` and `slurm`.
struct EvaluationOptions: ParsableArguments {
    @Option(help: "llm-jp-eval preprocessed data root.") var evalsets: String
    @Option(help: "tokenizer.json or a folder holding it (default: the (first) checkpoint folder).") var tokenizer: String?
    @Option(help: "Comma-separated dataset names (default: every file of the split).") var datasets: String?
    @Option(help: "Comma-separated categories: NLI,QA,RC,MC,EL,FA,MR,MT,HE,CG,SUM,STS.") var categories: String?
    @Option(help: "Few-shot examples per prompt (first samples of the train split).") var shots: Int = 4
    @Option(help: "Samples per dataset (first ones of the split); -1 for all.") var maxSamples: Int = 100
    @Option(help: "Split to score: dev or test.") var split: String = "dev"
    @Option(help: "Samples decoded together.") var batchSize: Int = 8
    @Flag(help: "Prefill every prompt whole instead of reusing the instruction+shots KV cache.") var noPrefixCache = false
    @Flag(help: "Skip the per-example log-probs (gold output teacher-forced, the prediction's own); stored as absent.")
    var noLogprobs = false
    @Flag(help: "Add BOS when tokenizing prompts (v1.4.1 does not).") var addBos = false
    @Flag(help: "Do not strip whitespace from predictions after NFKC (v1.3.0 behaviour).") var noStrip = false
    @Option(help: "BLEU: sacrebleu (real corpus BLEU) or llm-jp-eval-compat (v1.4.1's per-sample call).")
    var bleu: BleuMode = .sacrebleu
    @Option(help: "llm-jp-eval custom_prompt_template ({instruction}, {few_shots_text}, {input}).")
    var promptTemplate: String?
    @Option(help: "llm-jp-eval custom_fewshots_template ({input}, {output}).") var fewshotsTemplate: String?
    @Option(help: ArgumentHelp("COMET model folder (Unbabel/wmt22-comet-da, docs/COMET.md): computes comet_wmt22, MT's v1.4.1 metric.", valueName: "dir"))
    var comet: String?

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be ≥ 1") }
    }

    var evalOptions: EvalOptions {
        var o = EvalOptions()
        o.split = split
        o.shots = shots
        o.maxSamples = maxSamples
        o.datasets = datasets.map(Self.list)
        o.categories = categories.map { Self.list($0).map { $0.uppercased() } }
        o.batchSize = batchSize
        o.usePrefixCache = !noPrefixCache
        o.logprobs = !noLogprobs
        o.addBOS = addBos
        o.strip = !noStrip
        o.bleu = bleu
        o.customPromptTemplate = promptTemplate
        o.customFewshotsTemplate = fewshotsTemplate
        return o
    }

    private static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// Which checkpoints: one `--model`, or every checkpoint of a run narrowed by steps or the last fraction.
struct SelectionOptions: ParsableArguments {
    @Option(help: "One checkpoint folder (config.json, model.safetensors or its index, tokenizer.json).") var model: String?
    @Option(help: ArgumentHelp("Every checkpoint of a run, one at a time: a folder of checkpoint folders (checkpoint-N, "
                               + "iter_N, stepN, step-N, global_stepN) or a list file of 'path step' lines.",
                               valueName: "dir"))
    var checkpoints: String?
    @OptionGroup var span: SpanOptions
    @Option(help: ArgumentHelp("Training step recorded for a single --model (default: from its folder name).", valueName: "n"))
    var step: Int?
    @Option(name: .customLong("run"), help: ArgumentHelp("Run name in the store (default: the checkpoint folder's absolute path).", valueName: "name"))
    var runName: String?

    func validate() throws {
        guard (model == nil) != (checkpoints == nil) else { throw ValidationError("give exactly one of --model and --checkpoints") }
        if model != nil, span.steps != nil || span.lastFraction != nil {
            throw ValidationError("--steps and --last-fraction select among --checkpoints")
        }
    }

    var selection: ModelSelection {
        if let checkpoints { return .run(folder: checkpoints, steps: span.steps, lastFraction: span.lastFraction) }
        return .single(path: model ?? "", step: step)
    }
}

/// Which of a run's checkpoints: a step range or the last fraction (`eval`, `slurm`, `drift`).
struct SpanOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only checkpoints with steps in A..B (inclusive), every stride steps from A.", valueName: "A:B[:stride]"))
    var steps: StepRange?
    @Option(help: ArgumentHelp("Only the last fraction of the checkpoints (0.2, 1/5 or 20%).", valueName: "p"))
    var lastFraction: LastFraction?
}

/// The result store and what is recorded beside it.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("SQLite result store; a rerun skips every example it already holds.", valueName: "file"))
    var db: String?
    @Option(help: ArgumentHelp("Store journal: wal (many writers on one host) or rollback (one writer; for shard stores on NFS or Lustre).", valueName: "mode"))
    var journal: ResultStore.Journal = .wal
    @Flag(help: "Hash every checkpoint file in full (SHA-256) before evaluating it.") var verify = false
    @Option(help: ArgumentHelp("Append timings per checkpoint and dataset to this file.", valueName: "file")) var log: String?
}

/// One run of an existing store (`stability`, `report`, `ensemble`, `rescore`).
struct RunInStoreOptions: ParsableArguments {
    @Option(help: "The SQLite result store.") var db: String
    @Option(help: "Run name, when the store holds several runs.") var run: String?
}

/// Averaged models in place of the checkpoints.
struct AveragingOptions: ParsableArguments {
    @Option(name: .customLong("average-window"), help: ArgumentHelp(
        "Evaluate, at each selected checkpoint, the average of n neighbouring checkpoints' weights (in memory, nothing "
            + "written) instead of the checkpoint itself; stored as kind 'average'.", valueName: "n"))
    var averageWindow: Int?
    @Option(help: ArgumentHelp("With --average-window: window alignment, trailing (t−n+1…t) or centred.", valueName: "align"))
    var align: WindowAlignment = .trailing
    @Option(help: ArgumentHelp("With --average-window: uniform, linear or ema:α.", valueName: "w"))
    var averageWeights: AveragingWeights = .uniform

    var request: AveragingRequest? {
        averageWindow.map { AveragingRequest(window: CheckpointWindow(size: $0, alignment: align), weights: averageWeights) }
    }
}
