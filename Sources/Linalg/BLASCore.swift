import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS kernel ("core") selection, thread count and identification.
///
/// Debian's OpenBLAS 0.3.21 does not know recent Intel CPUs and falls back to its generic "Prescott" kernels,
/// several times slower than the AVX2/AVX-512 ones. The core is chosen once when the library loads, from
/// `OPENBLAS_CORETYPE`, so the only fix from inside the process is to set it and re-exec once.
public enum BLAS {
    /// Set in the environment of the re-executed process (to the core OpenBLAS had chosen) so it cannot loop.
    public static let reexecMarker = "KASANE_BLAS_REEXEC"
    /// Testing aid: treat the detected core as this name (e.g. "Prescott") to exercise the re-exec on any machine.
    public static let assumeCoreVariable = "KASANE_BLAS_ASSUME_CORE"
    /// OpenBLAS's idle-spin length (log2 cycles), set to 4 at start unless the user chose one.
    public static let threadTimeoutVariable = "OPENBLAS_THREAD_TIMEOUT"

    /// The name of the kernel set OpenBLAS is using (e.g. "Haswell", "SkylakeX", "Zen", "Prescott").
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// OpenBLAS worker threads.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// What `ensureFastCore` decided, for `kasane doctor`.
    public enum CoreDecision: Equatable, Sendable {
        case keep(reason: String)
        case reexec(coreType: String)
    }

    /// How capable a core's kernels are: 0 generic SSE, 1 AVX2+FMA, 2 AVX-512.
    static func rank(ofCore name: String) -> Int {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": return 2
        case "haswell", "zen": return 1
        default: return 0
        }
    }

    /// Pure decision: which `OPENBLAS_CORETYPE` (if any) the process should be re-executed with.
    public static func decide(coreName: String, cpu: CPUFeatures, environment: [String: String]) -> CoreDecision {
        if let user = environment["OPENBLAS_CORETYPE"], !user.isEmpty {
            if let original = environment[reexecMarker] {
                return .keep(reason: "re-executed with OPENBLAS_CORETYPE=\(user); OpenBLAS had chosen \(original)")
            }
            return .keep(reason: "OPENBLAS_CORETYPE=\(user) set by the user")
        }
        if environment[reexecMarker] != nil { return .keep(reason: "already re-executed once") }
        let target: String?
        if cpu.isAMD {
            target = cpu.hasAVX2FMA ? "Zen" : nil          // OpenBLAS's AMD AVX2 kernels; AVX-512 ones are tuned for Intel
        } else if cpu.hasAVX512F {
            target = "SkylakeX"
        } else if cpu.hasAVX2FMA {
            target = "Haswell"
        } else {
            target = nil
        }
        guard let target else { return .keep(reason: "no AVX2+FMA: the detected core is the best available") }
        if rank(ofCore: coreName) >= rank(ofCore: target) {
            return .keep(reason: "OpenBLAS detected a suitable core")
        }
        return .reexec(coreType: target)
    }

    /// The decision taken at start (set by `ensureFastCore`).
    nonisolated(unsafe) public private(set) static var startupDecision: CoreDecision = .keep(reason: "ensureFastCore() not called")

    /// Call first thing in `main`. If OpenBLAS picked slower kernels than this CPU supports, re-executes the
    /// process once with `OPENBLAS_CORETYPE` set. Never overrides a value the user set. Returns only if no re-exec
    /// happened (or it failed, in which case we go on with the slow core), with Kasane's pool and OpenBLAS both
    /// sized to the CPU allocation.
    public static func ensureFastCore() {
        defer { Parallel.start() }
        let env = currentEnvironment()
        let detected = env[assumeCoreVariable] ?? coreName
        let decision = decide(coreName: detected, cpu: CPUFeatures.current, environment: env)
        startupDecision = decision
        let coreType: String? = if case .reexec(let core) = decision { core } else { nil }
        // OpenBLAS's idle workers spin on sched_yield for 2^28 cycles (its default THREAD_TIMEOUT 28) after every
        // call, which starves Kasane's pool and other processes on shared CPUs; 2^4 makes them sleep at once. Read
        // only when the library loads, so it too needs the (single) re-exec.
        let setsTimeout = env[threadTimeoutVariable] == nil && env[reexecMarker] == nil
        guard coreType != nil || setsTimeout else { return }
        if let coreType { setenv("OPENBLAS_CORETYPE", coreType, 1) }
        if setsTimeout { setenv(threadTimeoutVariable, "4", 1) }
        setenv(reexecMarker, detected, 1)
        #if os(Linux)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        #else
        if let argv0 = CommandLine.unsafeArgv[0] { execv(argv0, CommandLine.unsafeArgv) }
        #endif
        // exec failed: continue with the current core; the environment keeps the marker so children do not retry.
        guard let coreType else { return }
        unsetenv("OPENBLAS_CORETYPE")
        startupDecision = .keep(reason: "re-exec with OPENBLAS_CORETYPE=\(coreType) failed (errno \(errno))")
    }

    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        for key in ["OPENBLAS_CORETYPE", reexecMarker, assumeCoreVariable, threadTimeoutVariable] {
            if let v = getenv(key) { result[key] = String(cString: v) }
        }
        return result
    }
}

extension BLAS {
    nonisolated(unsafe) private static let scopeLock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()
    nonisolated(unsafe) private static var scopeDepth = 0
    nonisolated(unsafe) private static var threadsBeforeScope = 1

    /// Runs `body` with OpenBLAS single-threaded, so that independent products spread over Kasane's pool (COMET's
    /// per-head attention products) instead of each waking OpenBLAS's threads; then restores its thread count.
    /// Nested or concurrent scopes are counted: the first one in sets 1, the last one out restores. The count is
    /// global to the process, so a product made meanwhile on another thread runs single-threaded too.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        Parallel.start()   // the pool sizes OpenBLAS when it starts: before the scope, not inside it
        pthread_mutex_lock(scopeLock)
        if scopeDepth == 0 {
            threadsBeforeScope = threadCount
            if threadsBeforeScope != 1 { threadCount = 1 }
        }
        scopeDepth += 1
        pthread_mutex_unlock(scopeLock)
        defer {
            pthread_mutex_lock(scopeLock)
            scopeDepth -= 1
            if scopeDepth == 0, threadsBeforeScope != 1 { threadCount = threadsBeforeScope }
            pthread_mutex_unlock(scopeLock)
        }
        return try body()
    }
}
