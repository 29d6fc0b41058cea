import Foundation

/// The folder-name schemes that carry a training step.
public enum CheckpointNaming: String, Sendable, CaseIterable {
    /// Hugging Face Trainer: `checkpoint-<N>`.
    case huggingFace = "checkpoint-N"
    /// Megatron-LM converted to HF: `iter_<NNNNNNN>` (zero-padded).
    case megatron = "iter_N"
    /// `step<N>`, `step-<N>`, `step_<N>`.
    case step = "stepN"
    /// DeepSpeed: `global_step<N>`.
    case globalStep = "global_stepN"

    /// The step encoded in a folder name, or nil when the name follows no known scheme.
    public static func parse(_ name: String) -> (CheckpointNaming, Int)? {
        let rules: [(CheckpointNaming, String)] = [
            (.huggingFace, "checkpoint-"), (.megatron, "iter_"), (.globalStep, "global_step"),
            (.globalStep, "global_step_"), (.step, "step-"), (.step, "step_"), (.step, "step"),
        ]
        for (scheme, prefix) in rules where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            if !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let step = Int(digits) {
                return (scheme, step)
            }
        }
        return nil
    }
}
