import Foundation
import JSON

/// What `kasane doctor` measures and prints: the CPU, the OpenBLAS core and why, thread counts, a timed sgemm and
/// the read bandwidth (plain and through the bf16 decode kernel).
public struct MachineReport {
    public let cpu = CPUFeatures.current
    public let onlineCPUs = ProcessInfo.processInfo.activeProcessorCount
    public let coreTypeEnvironment = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
    public let coreDecision: String
    public let sgemm: BLAS.SGEMMMeasurement
    public let bandwidth: ReadBandwidthMeasurement

    /// Runs the measurements: sgemm of `size`³ for about `seconds`, then the read bandwidth. Larger sizes (three
    /// matrices of 256 MiB at 8192) and longer runs would only make `kasane doctor` slow; they are refused.
    public init(sgemmSize size: Int, seconds: Double) throws {
        guard (1...8192).contains(size) else { throw LinalgError.outOfRange(option: "--size", range: "1...8192") }
        guard seconds > 0, seconds <= 60 else { throw LinalgError.outOfRange(option: "--seconds", range: "(0, 60]") }
        switch BLAS.startupDecision {
        case .keep(let reason): coreDecision = reason
        case .reexec(let core): coreDecision = "re-exec with \(core) pending"
        }
        sgemm = BLAS.measureSGEMM(size: size, seconds: seconds)
        bandwidth = measureReadBandwidth()
    }

    /// GFLOP/s to one decimal, as printed.
    public var gflops: Double { (sgemm.gflops * 10).rounded() / 10 }

    public func lines(version: String) -> [String] {
        let vendor = cpu.vendor.isEmpty ? "" : " (\(cpu.vendor))"
        let features = cpu.summary.isEmpty ? "(none detected)" : cpu.summary.joined(separator: " ")
        let n = sgemm.size
        return [
            "kasane \(version)",
            "CPU:               \(cpu.modelName)\(vendor), \(onlineCPUs) online",
            "CPU features:      \(features)",
            "OpenBLAS core:     \(BLAS.coreName) (\(coreDecision))",
            "OPENBLAS_CORETYPE: \(coreTypeEnvironment ?? "(unset)")",
            "BLAS threads:      \(BLAS.threadCount)",
            "Kasane threads:    \(Parallel.threadCount) (from \(CPUAllocation.current.source); KASANE_THREADS to change)",
            "Read bandwidth:    \(String(format: "%.1f", bandwidth.readGBps)) GB/s (\(bandwidth.threads) threads); "
                + "bf16 decode kernel (\(KernelLevel.active)) \(String(format: "%.1f", bandwidth.bf16KernelGBps)) GB/s",
            "sgemm \(n)x\(n)x\(n): \(gflops) GFLOP/s (\(sgemm.runs) runs in \(String(format: "%.2f", sgemm.seconds)) s)",
        ]
    }

    public var json: String {
        let object: JSONValue = [
            "cpu": .string(cpu.modelName), "vendor": .string(cpu.vendor), "features": .strings(cpu.summary),
            "blas_core": .string(BLAS.coreName), "core_decision": .string(coreDecision),
            "openblas_coretype_env": coreTypeEnvironment.map(JSONValue.string) ?? .null,
            "blas_threads": .integer(BLAS.threadCount), "parallel_threads": .integer(Parallel.threadCount),
            "threads_source": .string(CPUAllocation.current.source), "online_cpus": .integer(onlineCPUs),
            "sgemm": ["size": .integer(sgemm.size), "runs": .integer(sgemm.runs), "seconds": .number(sgemm.seconds),
                      "gflops": .number(gflops)],
            "read_bandwidth": ["threads": .integer(bandwidth.threads), "bytes": .integer(bandwidth.bytes),
                               "read_gbps": .number(bandwidth.readGBps),
                               "bf16_kernel_gbps": .number(bandwidth.bf16KernelGBps),
                               "kernel": .string("\(KernelLevel.active)")],
        ]
        return JSONWriter.string(object, sortKeys: true)
    }
}
