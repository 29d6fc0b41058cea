import CKernels
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body(i)` for every `i` in `range` on a fixed pool of threads (the caller is one of them) and returns when
/// all are done. Indices are handed out in small chunks, so uneven work (causal attention rows) balances.
/// `body` must be safe to call concurrently for different indices. A call made while the pool is busy (nested, or
/// from another thread) runs serially on the calling thread instead of waiting, so it can never deadlock.
public func parallelFor(_ range: Range<Int>, body: (Int) -> Void) {
    WorkerPool.shared.run(range, body: body)
}

public enum Parallel {
    /// Threads used by `parallelFor`, caller included: the process's CPU allocation (`CPUAllocation.current`).
    public static var threadCount: Int { WorkerPool.shared.threadCount }

    /// Starts the pool and gives OpenBLAS the same thread count (call once at start; later calls do nothing new).
    public static func start() { _ = WorkerPool.shared }
}

/// A non-escaping closure made storable for the duration of one `run`; the pool never keeps it past that.
/// `next` is guarded by the pool's mutex.
private final class Job: @unchecked Sendable {
    let body: (Int) -> Void
    let end: Int
    let chunk: Int
    var next: Int
    init(body: @escaping (Int) -> Void, range: Range<Int>, chunk: Int) {
        self.body = body; self.end = range.upperBound; self.chunk = chunk; self.next = range.lowerBound
    }
    var hasWork: Bool { next < end }
}

/// The caller publishes a job, wakes the workers and takes chunks itself. When no chunk is left it withdraws the
/// job and waits only for the workers that joined it (`joined`), never for a worker that has not woken yet: beside
/// a busy process, the kernel may let that process finish its slice before a woken worker gets the core, and the
/// caller would stall even though it did all the work. A worker that wakes late finds the job withdrawn (or a
/// newer one) and goes back to sleep; it can touch a job's body only after joining it, under the mutex, while the
/// job still had chunks left, so never after `run` has returned. An idle worker first watches for the next job for
/// `spinNanoseconds` (pause hints, no `sched_yield`), then blocks on the condition variable; the caller waits for the
/// joined workers to leave the same way.
final class WorkerPool: @unchecked Sendable {
    static let shared: WorkerPool = {
        let threads = CPUAllocation.current.threads
        BLAS.threadCount = threads
        return WorkerPool(threads: threads)
    }()

    let threadCount: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// How long an idle worker watches for the next job, and the caller for the workers to finish its job, before
    /// blocking. Decoding publishes a job every 20–100 µs, and waking a blocked thread costs about that much; beside
    /// other processes they still block soon.
    private let spinNanoseconds = 50_000
    /// Jobs published so far: written only under `mutex` (with a release store), read under it, or read without it
    /// by a spinning worker (an acquire load).
    private let generation = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    /// Workers holding a reference to the job (joined and not yet left): written only under `mutex` (release
    /// stores), read under it, or by the caller spinning for it to reach 0 (an acquire load).
    private let joined = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    // All below are guarded by `mutex`.
    private var busy = false
    private var job: Job?

    init(threads: Int) {
        threadCount = max(1, threads)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
        generation.initialize(to: 0)
        joined.initialize(to: 0)
        for _ in 1..<threadCount {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "kasane-worker"
            thread.start()
        }
    }

    func run(_ range: Range<Int>, body: (Int) -> Void) {
        if range.isEmpty { return }
        if threadCount == 1 || range.count == 1 { for i in range { body(i) }; return }
        pthread_mutex_lock(mutex)
        if busy {
            pthread_mutex_unlock(mutex)
            for i in range { body(i) }
            return
        }
        busy = true
        pthread_mutex_unlock(mutex)
        withoutActuallyEscaping(body) { escapable in
            let chunk = max(1, range.count / (threadCount * 8))
            let current = Job(body: escapable, range: range, chunk: chunk)
            pthread_mutex_lock(mutex)
            job = current
            kasane_store_release(generation, generation.pointee &+ 1)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
            drain(current)
            pthread_mutex_lock(mutex)
            job = nil                 // no worker can join from here on
            if joined.pointee > 0 {
                pthread_mutex_unlock(mutex)
                _ = kasane_spin_until_equal(joined, 0, spinNanoseconds)
                pthread_mutex_lock(mutex)
            }
            while joined.pointee > 0 { pthread_cond_wait(done, mutex) }
            busy = false
            pthread_mutex_unlock(mutex)
        }
    }

    /// Takes chunks of the job until none are left.
    private func drain(_ job: Job) {
        while true {
            pthread_mutex_lock(mutex)
            let start = job.next
            let stop = min(job.end, start + job.chunk)
            job.next = stop
            pthread_mutex_unlock(mutex)
            if start >= stop { return }
            for i in start..<stop { job.body(i) }
        }
    }

    /// Joins the published job if it still has chunks, drains it, and drops every reference to it before
    /// returning: `run` checks, once `joined` reaches 0, that nothing still holds its non-escaping body (a local
    /// kept alive to the end of the worker's loop iteration tripped that check in debug builds). Called and
    /// returns with `mutex` held; true if it joined (the caller then leaves, still under the mutex).
    @inline(never)
    private func joinPublishedJob() -> Bool {
        guard let current = job, current.hasWork else { return false }
        kasane_store_release(joined, joined.pointee + 1)
        pthread_mutex_unlock(mutex)
        drain(current)
        pthread_mutex_lock(mutex)
        return true
    }

    private func workerLoop() {
        var seen: UInt64 = 0
        pthread_mutex_lock(mutex)
        while true {
            if generation.pointee == seen {
                pthread_mutex_unlock(mutex)
                kasane_spin_while_equal(generation, seen, spinNanoseconds)
                pthread_mutex_lock(mutex)
            }
            while generation.pointee == seen { pthread_cond_wait(wake, mutex) }
            seen = generation.pointee
            if joinPublishedJob() {
                kasane_store_release(joined, joined.pointee - 1)
                if joined.pointee == 0 { pthread_cond_signal(done) }
            }
        }
    }
}
