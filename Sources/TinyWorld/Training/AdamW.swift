import Foundation

/// AdamW with decoupled weight decay (as `torch.optim.AdamW`): p ← p − lr·wd·p, then the bias-corrected Adam step.
/// Norm weights get no decay. The moments live in flat buffers of the parameter layout.
public final class AdamW: @unchecked Sendable {
    public let beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    public private(set) var stepCount = 0
    private let m: UnsafeMutableBufferPointer<Float>
    private let v: UnsafeMutableBufferPointer<Float>
    private let decayMask: [(range: Range<Int>, decay: Bool)]

    public init(layout: ParameterLayout, beta1: Float, beta2: Float, eps: Float, weightDecay: Float) {
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        m = FloatArena.allocate(layout.totalCount)
        v = FloatArena.allocate(layout.totalCount)
        decayMask = layout.tensors.map { ($0.offset..<($0.offset + $0.count), !$0.isNorm) }
    }

    deinit { m.deallocate(); v.deallocate() }

    public func step(params: UnsafeMutableBufferPointer<Float>, grads: UnsafeMutableBufferPointer<Float>, lr: Float) {
        stepCount += 1
        let b1 = beta1, b2 = beta2, e = eps
        let c1 = 1 - Float(Foundation.pow(Double(b1), Double(stepCount)))
        let c2 = 1 - Float(Foundation.pow(Double(b2), Double(stepCount)))
        let stepSize = lr / c1, invSqrtC2 = 1 / c2.squareRoot()
        let p = params.baseAddress!, g = grads.baseAddress!, mm = m.baseAddress!, vv = v.baseAddress!
        for (range, decay) in decayMask {
            let shrink: Float = decay ? 1 - lr * weightDecay : 1
            for i in range {
                let gi = g[i]
                let mi = b1 * mm[i] + (1 - b1) * gi
                let vi = b2 * vv[i] + (1 - b2) * gi * gi
                mm[i] = mi; vv[i] = vi
                p[i] = p[i] * shrink - stepSize * mi / (vi.squareRoot() * invSqrtC2 + e)
            }
        }
    }
}

/// Global L2 norm of the gradients (accumulated in Double) and, when it exceeds `maxNorm` > 0, rescales them to it.
/// Returns the norm before clipping.
@discardableResult
public func clipGradients(_ grads: UnsafeMutableBufferPointer<Float>, maxNorm: Float) -> Float {
    var sum = 0.0
    var partial: Float = 0
    for (i, x) in grads.enumerated() {
        partial += x * x
        if i & 1023 == 1023 { sum += Double(partial); partial = 0 }
    }
    sum += Double(partial)
    let norm = Float(sum.squareRoot())
    if maxNorm > 0 && norm > maxNorm {
        let s = maxNorm / (norm + 1e-6)
        for i in grads.indices { grads[i] *= s }
    }
    return norm
}

/// Learning rate at a step (1-based): linear warmup to `peak`, then constant or cosine decay to `minimum` at `total`.
public struct LearningRateSchedule: Sendable, Equatable {
    public enum Shape: String, Sendable { case cosine, constant }
    public var peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int, shape: Shape

    public init(peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int, shape: Shape) {
        self.peak = peak; self.minimum = minimum; self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps; self.shape = shape
    }

    public func rate(atStep step: Int) -> Float {
        if step <= warmupSteps && warmupSteps > 0 { return peak * Float(step) / Float(warmupSteps) }
        switch shape {
        case .constant: return peak
        case .cosine:
            let span = max(1, totalSteps - warmupSteps)
            let progress = min(1, Double(step - warmupSteps) / Double(span))
            return minimum + (peak - minimum) * Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
        }
    }
}
