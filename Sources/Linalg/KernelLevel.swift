import CKernels
import Foundation

/// Which variant of the C kernels runs: the best the CPU supports, or a lower one named by `KASANE_KERNEL`
/// (`portable`, `avx2`, `avx512`) for A/B runs. A level the CPU lacks falls back to the best it has.
public enum KernelLevel: Int32, Sendable, CaseIterable {
    case portable = 0, avx2 = 1, avx512 = 2

    public static let best = KernelLevel(rawValue: kasane_kernel_best_level()) ?? .portable

    public static let active: KernelLevel = {
        if let name = ProcessInfo.processInfo.environment["KASANE_KERNEL"],
           let level = KernelLevel.allCases.first(where: { "\($0)" == name }) {
            return min(level, best)
        }
        return best
    }()
}

extension KernelLevel: Comparable {
    public static func < (a: KernelLevel, b: KernelLevel) -> Bool { a.rawValue < b.rawValue }
}
