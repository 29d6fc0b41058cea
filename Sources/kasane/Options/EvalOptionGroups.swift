import ArgumentParser
import Evaluation
import Trajectory

/// What to evaluate and how: the llm-jp-eval v1.4.1 settings shared by `eval`, `slurm` and `sweep`.
struct EvaluationOptions: ParsableArguments {
    @Option(help: "llm-jp-eval preprocessed data root.") var evalsets: String
    @Option(help: "tokenizer.json or a folder holding it (default: the (first) checkpoint folder).") var tokenizer: String?
    @Option(help: "Comma-separated dataset names (default: every file of the split).") var datasets: NameList?
    @Option(help: "Comma-separated categories: NLI,QA,RC,MC,EL,FA,MR,MT,HE,CG,SUM,STS.") var categories: NameList?
    @Option(help: "Few-shot examples per prompt (first samples of the train split).") var shots: Int = 4
    @Option(help: "Samples per dataset (first ones of the split); -1 for all.") var maxSamples: Int = 100
    @Option(help: "Split to score: dev or test.") var split: String = "dev"
    @Option(help: "Samples decoded together.") var batchSize: Int = EvalOptions().batchSize
    @Flag(help: "Prefill every prompt whole (no shared instruction+shots KV cache).") var noPrefixCache = false
    @Flag(help: "Skip the per-example log-probs (stored as absent).") var noLogprobs = false
    @Flag(help: "Add BOS to prompts (v1.4.1 does not).") var addBos = false
    @Flag(help: "Keep whitespace around predictions after NFKC (v1.3.0 behaviour).") var noStrip = false
    @Option(help: BleuMode.help) var bleu: BleuMode = .sacrebleu
    @Option(help: "custom_prompt_template ({instruction}, {few_shots_text}, {input}).") var promptTemplate: String?
    @Option(help: "custom_fewshots_template ({input}, {output}).") var fewshotsTemplate: String?
    @Option(help: ArgumentHelp("COMET model folder (docs/COMET.md): adds comet_wmt22, MT's metric.", valueName: "dir"))
    var comet: String?

    var setup: EvaluationSetup {
        var o = EvalOptions()
        (o.split, o.shots, o.maxSamples, o.batchSize) = (split, shots, maxSamples, batchSize)
        o.datasets = datasets?.names
        o.categories = categories?.names.map { $0.uppercased() }
        (o.usePrefixCache, o.logprobs, o.addBOS, o.strip) = (!noPrefixCache, !noLogprobs, addBos, !noStrip)
        (o.bleu, o.customPromptTemplate, o.customFewshotsTemplate) = (bleu, promptTemplate, fewshotsTemplate)
        return EvaluationSetup(evalsets: evalsets, evalOptions: o, tokenizer: tokenizer, comet: comet)
    }
}

/// One checkpoint folder (`forward`, `generate`).
struct CheckpointOptions: ParsableArguments {
    @Option(help: "Checkpoint folder (config.json, model.safetensors or its index).") var model: String
}

/// Which checkpoints: one `--model`, or every checkpoint of a run narrowed by steps or the last fraction.
struct SelectionOptions: ParsableArguments {
    @Option(help: "One checkpoint folder (config.json, model.safetensors or its index, tokenizer.json).") var model: String?
    @Option(help: ArgumentHelp("A run: a folder of checkpoint-N (iter_N, stepN, global_stepN) folders or a list file "
                               + "of 'path step' lines.", valueName: "dir"))
    var checkpoints: String?
    @OptionGroup var span: RunSpanOptions
    @Option(help: ArgumentHelp("Training step of a single --model (default: from its folder name).", valueName: "n"))
    var step: Int?

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

/// Which of a run's checkpoints (a step range or the last fraction) and the run's name in the store (`eval`,
/// `slurm`, `drift`, `sweep`).
struct RunSpanOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only steps in A..B (inclusive), every stride from A.", valueName: "A:B[:stride]"))
    var steps: StepRange?
    @Option(help: ArgumentHelp("Only the last fraction of the checkpoints (0.2, 1/5 or 20%).", valueName: "p"))
    var lastFraction: LastFraction?
    @Option(help: ArgumentHelp("Run name in the store (default: the checkpoint folder's absolute path).", valueName: "name"))
    var run: String?
}

/// The result store written to and what is recorded beside it.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("SQLite result store; a rerun skips every example it holds.", valueName: "file"))
    var db: String?
    @Option(help: ArgumentHelp("wal (many writers on one host) or rollback (one writer; NFS or Lustre).", valueName: "mode"))
    var journal: ResultStore.Journal = .wal
    @Flag(help: "Hash every checkpoint file in full (SHA-256) before evaluating it.") var verify = false
    @Option(help: ArgumentHelp("Append timings per checkpoint and dataset to this file.", valueName: "file")) var log: String?
}

/// One run of an existing store (`status`, `export`, `stability`, `report`, `ensemble`, `rescore`).
struct RunInStoreOptions: ParsableArguments {
    @Option(help: "The SQLite result store.") var db: String
    @Option(help: "Run name (default: the store's only run; every run for status and export).") var run: String?
}

/// Averaged models in place of the checkpoints.
struct AveragingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Evaluate the in-memory average of n neighbouring checkpoints at each one (stored as "
                               + "kind 'average').", valueName: "n"))
    var averageWindow: Int?
    @Option(help: ArgumentHelp("With --average-window: trailing (t−n+1…t) or centred.", valueName: "align"))
    var align: WindowAlignment = .trailing
    @Option(help: ArgumentHelp("With --average-window: uniform, linear or ema:α.", valueName: "w"))
    var averageWeights: AveragingWeights = .uniform

    var request: AveragingRequest? {
        averageWindow.map { AveragingRequest(window: CheckpointWindow(size: $0, alignment: align), weights: averageWeights) }
    }
}

/// Bootstrap statistics over examples (`stability`, `report`, `sweep`).
struct StatisticsOptions: ParsableArguments {
    @Option(help: "Bootstrap resamples over examples for confidence intervals and paired tests (0: none).")
    var bootstrap: Int = ExampleStatistics.defaultResamples
    @Option(help: "Seed of the bootstrap resamples.") var seed: UInt64 = ExampleStatistics.defaultSeed
}
