import ArgumentParser
import Foundation
import Linalg

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Print CPU features, the OpenBLAS core in use, thread counts and a measured sgemm GFLOP/s.")

    @Option(help: "Square matrix size for the sgemm measurement.")
    var size = 1024
    @Option(help: "Seconds of sgemm work to measure.")
    var seconds = 1.0
    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        guard size > 0, size <= 8192 else { throw ValidationError("--size must be in 1...8192") }
        guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be in (0, 60]") }
        let cpu = CPUFeatures.current
        let env = ProcessInfo.processInfo.environment
        let decision: String
        switch BLAS.startupDecision {
        case .keep(let reason): decision = reason
        case .reexec(let core): decision = "re-exec with \(core) pending"
        }
        let m = BLAS.measureSGEMM(size: size, seconds: seconds)
        let gflops = (m.gflops * 10).rounded() / 10
        let bw = measureReadBandwidth()
        if json {
            let object: [String: Any] = [
                "cpu": cpu.modelName, "vendor": cpu.vendor, "features": cpu.summary,
                "blas_core": BLAS.coreName, "core_decision": decision,
                "openblas_coretype_env": env["OPENBLAS_CORETYPE"] ?? NSNull(),
                "blas_threads": BLAS.threadCount, "parallel_threads": Parallel.threadCount,
                "threads_source": CPUAllocation.current.source,
                "online_cpus": ProcessInfo.processInfo.activeProcessorCount,
                "sgemm": ["size": m.size, "runs": m.runs, "seconds": m.seconds, "gflops": gflops],
                "read_bandwidth": ["threads": bw.threads, "bytes": bw.bytes, "read_gbps": bw.readGBps,
                                   "bf16_kernel_gbps": bw.bf16KernelGBps, "kernel": "\(KernelLevel.active)"],
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("kasane \(KasaneVersion.string)")
        print("CPU:               \(cpu.modelName)\(cpu.vendor.isEmpty ? "" : " (\(cpu.vendor))"), \(ProcessInfo.processInfo.activeProcessorCount) online")
        print("CPU features:      \(cpu.summary.isEmpty ? "(none detected)" : cpu.summary.joined(separator: " "))")
        print("OpenBLAS core:     \(BLAS.coreName) (\(decision))")
        print("OPENBLAS_CORETYPE: \(env["OPENBLAS_CORETYPE"] ?? "(unset)")")
        print("BLAS threads:      \(BLAS.threadCount)")
        print("Kasane threads:    \(Parallel.threadCount) (from \(CPUAllocation.current.source); KASANE_THREADS to change)")
        print("Read bandwidth:    \(String(format: "%.1f", bw.readGBps)) GB/s (\(bw.threads) threads); bf16 decode kernel " +
              "(\(KernelLevel.active)) \(String(format: "%.1f", bw.bf16KernelGBps)) GB/s")
        print("sgemm \(m.size)x\(m.size)x\(m.size): \(gflops) GFLOP/s (\(m.runs) runs in \(String(format: "%.2f", m.seconds)) s)")
    }
}
