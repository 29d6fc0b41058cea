import Foundation
import Testing
@testable import Linalg

@Test func kasaneThreadsWinsOverEveryLimit() {
    let a = CPUAllocation.decide(affinityCPUs: 4, onlineCPUs: 128, cgroupQuota: (2, "cgroup v2 cpu.max"),
                                 environment: ["KASANE_THREADS": "8", "OMP_NUM_THREADS": "1"])
    #expect(a == CPUAllocation(threads: 8, source: "KASANE_THREADS"))
}

@Test func affinityMaskBoundsTheOnlineCPUs() {
    #expect(CPUAllocation.decide(affinityCPUs: 4, onlineCPUs: 128, cgroupQuota: nil, environment: [:])
        == CPUAllocation(threads: 4, source: "sched_getaffinity"))
    #expect(CPUAllocation.decide(affinityCPUs: nil, onlineCPUs: 16, cgroupQuota: nil, environment: [:])
        == CPUAllocation(threads: 16, source: "online CPUs"))
}

@Test func cgroupQuotaAndSchedulerVariablesCapTheMask() {
    #expect(CPUAllocation.decide(affinityCPUs: 128, onlineCPUs: 128, cgroupQuota: (2.5, "cgroup v2 cpu.max"), environment: [:])
        == CPUAllocation(threads: 3, source: "cgroup v2 cpu.max"))
    #expect(CPUAllocation.decide(affinityCPUs: 128, onlineCPUs: 128, cgroupQuota: (8, "q"), environment: ["SLURM_CPUS_PER_TASK": "4"])
        == CPUAllocation(threads: 4, source: "SLURM_CPUS_PER_TASK"))
    #expect(CPUAllocation.decide(affinityCPUs: 2, onlineCPUs: 128, cgroupQuota: nil, environment: ["OMP_NUM_THREADS": "6,2"])
        == CPUAllocation(threads: 2, source: "sched_getaffinity"))
    #expect(CPUAllocation.decide(affinityCPUs: 8, onlineCPUs: 8, cgroupQuota: nil, environment: ["OMP_NUM_THREADS": "3,2"])
        == CPUAllocation(threads: 3, source: "OMP_NUM_THREADS"))
    // Junk values are ignored rather than trusted.
    #expect(CPUAllocation.decide(affinityCPUs: 8, onlineCPUs: 8, cgroupQuota: nil,
                                 environment: ["KASANE_THREADS": "0", "SLURM_CPUS_PER_TASK": "x"])
        == CPUAllocation(threads: 8, source: "sched_getaffinity"))
}

/// A fake filesystem root in a temporary folder; the caller removes it (a `defer` right after this call), and it is
/// removed here if making it fails.
private func fakeRoot(_ files: [String: String]) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup-\(UUID().uuidString)").path
    do {
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
    } catch {
        try? FileManager.default.removeItem(atPath: root)
        throw error
    }
    return root
}

@Test func cgroupV2QuotaIsTheTightestAncestor() throws {
    let root = try fakeRoot([
        "proc/self/cgroup": "0::/slurm/job1/step0\n",
        "sys/fs/cgroup/slurm/job1/step0/cpu.max": "max 100000\n",
        "sys/fs/cgroup/slurm/job1/cpu.max": "400000 100000\n",
        "sys/fs/cgroup/slurm/cpu.max": "1600000 100000\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let q = CPUAllocation.cgroupQuota(root: root)
    #expect(q?.cpus == 4)
    #expect(q?.source == "cgroup v2 cpu.max")
}

@Test func cgroupV1QuotaAndUnlimitedCases() throws {
    let v1 = try fakeRoot([
        "proc/self/cgroup": "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n",
        "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "150000\n",
        "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: v1) }
    #expect(CPUAllocation.cgroupQuota(root: v1)?.cpus == 1.5)
    #expect(CPUAllocation.cgroupQuota(root: v1)?.source == "cgroup v1 cpu.cfs_quota_us")

    // Inside a container the membership path is not under the mount: the mount root holds the limit.
    let container = try fakeRoot([
        "proc/self/cgroup": "0::/\n",
        "sys/fs/cgroup/cpu.max": "200000 100000\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: container) }
    #expect(CPUAllocation.cgroupQuota(root: container)?.cpus == 2)

    let unlimited = try fakeRoot([
        "proc/self/cgroup": "1:cpu:/\n0::/\n",
        "sys/fs/cgroup/cpu.max": "max 100000\n",
        "sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n",
        "sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: unlimited) }
    #expect(CPUAllocation.cgroupQuota(root: unlimited) == nil)
    #expect(CPUAllocation.cgroupQuota(root: unlimited + "/missing") == nil)
}

@Test func affinityOfThisProcessIsCounted() {
    let n = CPUAllocation.affinityCPUs()
    #expect(n == nil || n! >= 1)
    #expect(CPUAllocation.current.threads >= 1)
}
