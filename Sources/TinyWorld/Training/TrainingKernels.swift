import Foundation

// Row-wise kernels of the training forward and backward pass. Every function works on rows [rows.lowerBound,
// rows.upperBound) of row-major matrices, so callers can split rows across threads.

/// RMSNorm forward (HF order, fp32): y = w ⊙ (x · r), r = 1/sqrt(mean(x²) + eps). Saves r per row.
@inline(__always)
func rmsNormForward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                    rstd: UnsafeMutablePointer<Float>, dim: Int, eps: Float, rows: Range<Int>) {
    for n in rows {
        let xr = x + n * dim, yr = y + n * dim
        var ss: Float = 0
        for j in 0..<dim { ss += xr[j] * xr[j] }
        let r = 1 / (ss / Float(dim) + eps).squareRoot()
        rstd[n] = r
        for j in 0..<dim { yr[j] = weight[j] * (xr[j] * r) }
    }
}

/// RMSNorm backward for the input: dx += r·(w⊙dy) − x · r³/D · Σ_j w_j dy_j x_j.
@inline(__always)
func rmsNormBackwardInput(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
                          dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, dim: Int, rows: Range<Int>) {
    for n in rows {
        let xr = x + n * dim, dyr = dy + n * dim, dxr = dx + n * dim
        let r = rstd[n]
        var dot: Float = 0
        for j in 0..<dim { dot += weight[j] * dyr[j] * xr[j] }
        let c = dot * r * r * r / Float(dim)
        for j in 0..<dim { dxr[j] += r * weight[j] * dyr[j] - c * xr[j] }
    }
}

/// RMSNorm backward for the weight: dw_j += Σ_n dy_nj · x_nj · r_n (all rows, one thread: the sum is short).
@inline(__always)
func rmsNormBackwardWeight(x: UnsafePointer<Float>, rstd: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                           dWeight: UnsafeMutablePointer<Float>, dim: Int, rowCount: Int) {
    for n in 0..<rowCount {
        let xr = x + n * dim, dyr = dy + n * dim
        let r = rstd[n]
        for j in 0..<dim { dWeight[j] += dyr[j] * xr[j] * r }
    }
}

/// cos/sin tables [position, headDim/2] computed as HF does in fp32: inv_freq_i = 1/θ^(2i/d), angle = pos·inv_freq_i.
func ropeTables(seqLen: Int, headDim: Int, theta: Double) -> (cos: [Float], sin: [Float]) {
    let half = headDim / 2
    var cosT = [Float](repeating: 0, count: seqLen * half), sinT = cosT
    for i in 0..<half {
        let invFreq = 1 / Float(Foundation.pow(Float(theta), Float(2 * i) / Float(headDim)))
        for t in 0..<seqLen {
            let angle = Float(t) * invFreq
            cosT[t * half + i] = Foundation.cos(angle)
            sinT[t * half + i] = Foundation.sin(angle)
        }
    }
    return (cosT, sinT)
}

/// Half-split (NeoX / HF rotate_half) RoPE on `heads` heads stored consecutively from `row` with `headDim` each.
/// `inverse` rotates by −θ: the backward pass of the rotation (its transpose).
@inline(__always)
func applyRope(_ row: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, cos: UnsafePointer<Float>,
               sin: UnsafePointer<Float>, inverse: Bool) {
    let half = headDim / 2
    let sign: Float = inverse ? -1 : 1
    for h in 0..<heads {
        let v = row + h * headDim
        for i in 0..<half {
            let c = cos[i], s = sign * sin[i]
            let a = v[i], b = v[i + half]
            v[i] = a * c - b * s
            v[i + half] = b * c + a * s
        }
    }
}

/// SwiGLU forward: h = silu(g) ⊙ u, with g, u the two halves of a fused [rows, 2F] gate/up row.
@inline(__always)
func swigluForward(gateUp: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>, ffn: Int, rows: Range<Int>) {
    for n in rows {
        let g = gateUp + n * 2 * ffn, u = g + ffn, hr = h + n * ffn
        for j in 0..<ffn {
            let z = g[j]
            hr[j] = z / (1 + Foundation.exp(-z)) * u[j]
        }
    }
}

/// SwiGLU backward: dg = dh ⊙ u ⊙ σ(g)(1 + g(1 − σ(g))), du = dh ⊙ silu(g), written into a fused [rows, 2F] buffer.
@inline(__always)
func swigluBackward(gateUp: UnsafePointer<Float>, dh: UnsafePointer<Float>, dGateUp: UnsafeMutablePointer<Float>,
                    ffn: Int, rows: Range<Int>) {
    for n in rows {
        let g = gateUp + n * 2 * ffn, u = g + ffn, dhr = dh + n * ffn
        let dg = dGateUp + n * 2 * ffn, du = dg + ffn
        for j in 0..<ffn {
            let z = g[j]
            let sig = 1 / (1 + Foundation.exp(-z))
            du[j] = dhr[j] * z * sig
            dg[j] = dhr[j] * u[j] * sig * (1 + z * (1 - sig))
        }
    }
}

/// Cross-entropy over logits rows, in place: writes each row's loss to `losses` and turns the row into
/// d(mean loss)/d(logits) = (softmax − onehot) · scale.
@inline(__always)
func crossEntropyForwardBackward(logits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>,
                                 losses: UnsafeMutablePointer<Float>, vocab: Int, scale: Float, rows: Range<Int>) {
    for n in rows {
        let row = logits + n * vocab
        var mx = -Float.infinity
        for j in 0..<vocab where row[j] > mx { mx = row[j] }
        let target = Int(targets[n])
        let targetLogit = row[target] - mx
        var sum: Float = 0
        for j in 0..<vocab {
            let e = Foundation.exp(row[j] - mx)
            row[j] = e
            sum += e
        }
        losses[n] = Foundation.log(sum) - targetLogit
        let inv = scale / sum
        for j in 0..<vocab { row[j] *= inv }
        row[target] -= scale
    }
}
