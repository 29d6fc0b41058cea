import CKernels

/// Attention's softmax over a block of `rows` score rows `ld` apart, each `visible` long: row `r` becomes
/// softmax(scale · x) over its first `firstSeen + r` scores (the keys up to its own position) and 0 after them.
/// In fp32 as HF computes it; each row on its own, through the same vector lanes wherever a value sits.
public func causalSoftmax(_ scores: UnsafeMutablePointer<Float>, ld: Int, rows: Int, firstSeen: Int, visible: Int,
                          scale: Float, level: KernelLevel = .active) {
    kasane_causal_softmax(level.rawValue, scores, ld, rows, firstSeen, visible, scale)
}
