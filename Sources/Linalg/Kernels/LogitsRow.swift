import CKernels

/// log Σ exp(x): NaN if any entry is NaN or +inf, -inf for an empty row or one of -infs. The maximum is exact, every
/// exponential is the Cephes polynomial's (about 1 ulp of expf), and the lanes' sums go into a Double every 512
/// values. Greedy decoding with log-probs calls this once per generated or scored token over the whole vocabulary;
/// glibc's scalar double `exp` took about 1 ms per 100k-entry row there, 20% of an evaluation's time.
public func logSumExp(_ x: UnsafeBufferPointer<Float>, level: KernelLevel = .active) -> Double {
    guard let p = x.baseAddress else { return -.infinity }
    return kasane_log_sum_exp(level.rawValue, p, x.count)
}

/// The index of the largest entry, the first one on ties, as torch.argmax (NaNs are skipped, unless the first entry
/// is NaN: then 0, as a scan from it gives); 0 for an empty row.
public func argmax(_ x: UnsafeBufferPointer<Float>, level: KernelLevel = .active) -> Int {
    guard let p = x.baseAddress else { return 0 }
    return kasane_argmax(level.rawValue, p, x.count)
}
