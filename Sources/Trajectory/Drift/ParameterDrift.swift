import Foundation
import Llama
import SafeTensors

/// How far the weights move between consecutive checkpoints: ‖θ_b − θ_a‖₂ over every stored tensor, relative to
/// ‖θ_a‖₂, and the cosine between successive updates (θ_b − θ_a)·(θ_a − θ_prev), in float64. The paper's averaging
/// argument assumes small steps; this measures them.
public struct DriftPair: Sendable, Equatable {
    public struct Measure: Sendable, Equatable {
        public var l2: Double
        public var relativeL2: Double
        /// nil for the first pair (no earlier update) or when either update is zero.
        public var updateCosine: Double?
    }

    public var fromStep: Int
    public var toStep: Int
    public var total: Measure
    /// By tensor group: embeddings, attention, mlp, norms, lm_head, other.
    public var groups: [String: Measure]
    /// By decoder layer index (tensors under `model.layers.N.`).
    public var layers: [Int: Measure]
}

public enum ParameterDrift {
    /// The group a tensor's name belongs to.
    public static func group(of name: String) -> String {
        if name.hasSuffix("embed_tokens.weight") { return "embeddings" }
        if name.hasPrefix("lm_head.") { return "lm_head" }
        if name.contains("norm") { return "norms" }
        if name.contains(".self_attn.") { return "attention" }
        if name.contains(".mlp.") { return "mlp" }
        return "other"
    }

    /// The decoder layer of a tensor, nil outside the layers.
    public static func layer(of name: String) -> Int? {
        guard name.hasPrefix("model.layers.") else { return nil }
        return Int(name.dropFirst("model.layers.".count).prefix { $0.isNumber })
    }

    /// Streams tensor by tensor: for each tensor, every checkpoint in step order is read once, so memory is two fp32
    /// and one fp64 copy of the largest tensor whatever the run's length, and each checkpoint's weights are read once.
    /// Checkpoints must share tensor names and shapes (their configs are checked first).
    public static func measure(_ checkpoints: [Checkpoint]) throws -> [DriftPair] {
        try measured(checkpoints).pairs
    }

    /// The pairs and the checkpoints' fingerprints (step order), which the config check computes anyway.
    static func measured(_ checkpoints: [Checkpoint]) throws
        -> (pairs: [DriftPair], fingerprints: [CheckpointFingerprint]) {
        let ordered = checkpoints.sorted { $0.step < $1.step }
        guard ordered.count >= 2 else {
            throw TrajectoryError.tooFewCheckpoints(needed: 2, found: ordered.count, context: "drift")
        }
        let fingerprints = try CheckpointFolder.fingerprintAll(ordered)
        let stores = try ordered.map { try WeightStore(directory: $0.path) }
        let tensors = try Averager(sources: stores).validate(
            [AveragingJob(position: 0, step: ordered[0].step, members: 0..<stores.count)])
        let pairs = ordered.count - 1
        // Per pair and key ("" total, "g:<group>", "l:<layer>"): Σ diff², Σ base², Σ diff·previous diff, Σ previous diff².
        var sums = [[String: Sums]](repeating: [:], count: pairs)
        let largest = tensors.map(\.count).max() ?? 0
        var before = [Float](repeating: 0, count: largest), after = before
        var previousDiff = [Double](repeating: 0, count: largest)
        for tensor in tensors {
            let n = tensor.count
            let keys = [""] + ["g:" + group(of: tensor.name)] + (layer(of: tensor.name).map { ["l:\($0)"] } ?? [])
            try before.withUnsafeMutableBufferPointer {
                try stores[0].copyFloatsReleasing(tensor.name, into: UnsafeMutableBufferPointer(rebasing: $0[0..<n]))
            }
            for p in 0..<pairs {
                try after.withUnsafeMutableBufferPointer {
                    try stores[p + 1].copyFloatsReleasing(tensor.name, into: UnsafeMutableBufferPointer(rebasing: $0[0..<n]))
                }
                var piece = Sums()
                for i in 0..<n {
                    let base = Double(before[i]), diff = Double(after[i]) - base
                    piece.diff += diff * diff
                    piece.base += base * base
                    if p > 0 {
                        let previous = previousDiff[i]
                        piece.dot += diff * previous
                        piece.previous += previous * previous
                    }
                    previousDiff[i] = diff
                }
                for key in keys { sums[p][key, default: Sums()].add(piece) }
                swap(&before, &after)
            }
        }
        let measures = (0..<pairs).map { p in
            var pair = DriftPair(fromStep: ordered[p].step, toStep: ordered[p + 1].step,
                                 total: sums[p][""]?.measure(hasPrevious: p > 0) ?? Sums().measure(hasPrevious: false),
                                 groups: [:], layers: [:])
            for (key, value) in sums[p] {
                if key.hasPrefix("g:") { pair.groups[String(key.dropFirst(2))] = value.measure(hasPrevious: p > 0) }
                if key.hasPrefix("l:"), let layer = Int(key.dropFirst(2)) {
                    pair.layers[layer] = value.measure(hasPrevious: p > 0)
                }
            }
            return pair
        }
        return (measures, fingerprints)
    }

    private struct Sums {
        var diff = 0.0, base = 0.0, dot = 0.0, previous = 0.0

        mutating func add(_ other: Sums) {
            diff += other.diff; base += other.base; dot += other.dot; previous += other.previous
        }

        func measure(hasPrevious: Bool) -> DriftPair.Measure {
            let l2 = diff.squareRoot()
            let denominator = (diff * previous).squareRoot()
            return .init(l2: l2, relativeL2: base > 0 ? l2 / base.squareRoot() : .nan,
                         updateCosine: hasPrevious && denominator > 0 ? dot / denominator : nil)
        }
    }
}
