import Evaluation

/// What every model of a run is evaluated on, and how: the datasets, the protocol, the tokenizer and COMET. `kasane
/// eval`, `slurm` and `sweep` share it.
public struct EvaluationSetup: Sendable {
    /// llm-jp-eval preprocessed data root.
    public var evalsets: String
    public var evalOptions: EvalOptions
    /// tokenizer.json or its folder; default: the first checkpoint's folder. Loaded once for the whole run.
    public var tokenizer: String?
    /// A COMET model folder (wmt22-comet-da): comet_wmt22 is computed for the datasets that list it (MT).
    public var comet: String?

    public init(evalsets: String, evalOptions: EvalOptions = EvalOptions(), tokenizer: String? = nil, comet: String? = nil) {
        self.evalsets = evalsets; self.evalOptions = evalOptions; self.tokenizer = tokenizer; self.comet = comet
    }
}
