import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many threads this process may usefully run, and which limit decided it: on a cluster node with 128 cores
/// and 4 allocated, running 128 threads would time-slice 4 CPUs.
public struct CPUAllocation: Sendable, Equatable {
    public let threads: Int
    /// Where the number came from, for `kasane doctor` (e.g. "sched_getaffinity", "cgroup v2 cpu.max").
    public let source: String

    public init(threads: Int, source: String) {
        self.threads = threads
        self.source = source
    }

    /// `KASANE_THREADS` wins; otherwise the smallest of: the CPUs in the affinity mask (else the online CPUs), the
    /// cgroup CPU quota rounded up, and `SLURM_CPUS_PER_TASK` / `OMP_NUM_THREADS` when set.
    public static func decide(affinityCPUs: Int?, onlineCPUs: Int, cgroupQuota: (cpus: Double, source: String)?,
                              environment: [String: String]) -> CPUAllocation {
        if let n = positive(environment["KASANE_THREADS"]) { return CPUAllocation(threads: min(n, 256), source: "KASANE_THREADS") }
        var best = affinityCPUs.map { CPUAllocation(threads: max(1, $0), source: "sched_getaffinity") }
            ?? CPUAllocation(threads: max(1, onlineCPUs), source: "online CPUs")
        func cap(_ n: Int, _ source: String) {
            if n < best.threads { best = CPUAllocation(threads: n, source: source) }
        }
        if let q = cgroupQuota, q.cpus > 0 { cap(max(1, Int(q.cpus.rounded(.up))), q.source) }
        for key in ["SLURM_CPUS_PER_TASK", "OMP_NUM_THREADS"] {
            if let n = positive(environment[key]) { cap(n, key) }
        }
        return best
    }

    private static func positive(_ text: String?) -> Int? {
        // OMP_NUM_THREADS may be a nested list ("4,2"): the first level is ours.
        guard let first = text?.split(separator: ",").first,
              let n = Int(trimmed(first)), n > 0 else { return nil }
        return n
    }

    /// The CPU quota of this process's cgroup as a number of CPUs (v2 `cpu.max`, else v1 `cpu.cfs_quota_us` over
    /// `cpu.cfs_period_us`), the tightest over the cgroup and its ancestors. `root` is "/" except in tests.
    public static func cgroupQuota(root: String = "/") -> (cpus: Double, source: String)? {
        let base = root.hasSuffix("/") ? root : root + "/"
        guard let membership = readSmallFile(base + "proc/self/cgroup") else { return nil }
        var best: Double?
        var source = ""
        func consider(_ cpus: Double?, _ name: String) {
            if let cpus, cpus > 0, cpus < (best ?? .infinity) { best = cpus; source = name }
        }
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                for dir in ancestors(base + "sys/fs/cgroup", path) {
                    consider(parseCPUMax(readSmallFile(dir + "/cpu.max")), "cgroup v2 cpu.max")
                }
            } else if fields[1].split(separator: ",").contains("cpu") {
                for mount in ["cpu", "cpu,cpuacct", "cpuacct,cpu"] {
                    for dir in ancestors(base + "sys/fs/cgroup/" + mount, path) {
                        consider(parseCFS(quota: readSmallFile(dir + "/cpu.cfs_quota_us"),
                                          period: readSmallFile(dir + "/cpu.cfs_period_us")), "cgroup v1 cpu.cfs_quota_us")
                    }
                }
            }
        }
        return best.map { ($0, source) }
    }

    /// The cgroup's directory and its parents up to the mount point (inside a container the mount point is the
    /// cgroup itself, so the mount root is always included).
    private static func ancestors(_ mount: String, _ path: String) -> [String] {
        var parts = path.split(separator: "/").map(String.init)
        var dirs: [String] = []
        while !parts.isEmpty {
            dirs.append(mount + "/" + parts.joined(separator: "/"))
            parts.removeLast()
        }
        dirs.append(mount)
        return dirs
    }

    /// "max 100000" → nil; "200000 100000" → 2.
    static func parseCPUMax(_ text: String?) -> Double? {
        guard let fields = text?.split(whereSeparator: { $0 == " " || $0 == "\n" }), fields.count >= 2,
              let quota = Double(fields[0]), let period = Double(fields[1]), period > 0 else { return nil }
        return quota / period
    }

    /// quota -1 means unlimited.
    static func parseCFS(quota: String?, period: String?) -> Double? {
        guard let q = quota.flatMap({ Double(trimmed($0[...])) }), q > 0,
              let p = period.flatMap({ Double(trimmed($0[...])) }), p > 0 else { return nil }
        return q / p
    }

    private static func trimmed(_ s: Substring) -> String {
        String(s.drop(while: { $0 == " " || $0 == "\n" }).reversed().drop(while: { $0 == " " || $0 == "\n" }).reversed())
    }

    /// CPUs in this thread's affinity mask (Linux), or nil where the call is unavailable.
    public static func affinityCPUs() -> Int? {
        let n = Int(kasane_affinity_cpus())
        return n > 0 ? n : nil
    }

    /// The allocation of the running process.
    public static let current: CPUAllocation = {
        var env: [String: String] = [:]
        for key in ["KASANE_THREADS", "SLURM_CPUS_PER_TASK", "OMP_NUM_THREADS"] {
            if let v = getenv(key) { env[key] = String(cString: v) }
        }
        return decide(affinityCPUs: affinityCPUs(), onlineCPUs: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
                      cgroupQuota: cgroupQuota(), environment: env)
    }()
}
