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
private final class Job: @unchecked Sendable {
    let body: (Int) -> Void
    let end: Int
    let chunk: Int
    var next: Int
    init(body: @escaping (Int) -> Void, range: Range<Int>, chunk: Int) {
        self.body = body; self.end = range.upperBound; self.chunk = chunk; self.next = range.lowerBound
    }
}

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
    // All below are guarded by `mutex`.
    private var busy = false
    private var generation: UInt64 = 0
    private var job: Job?
    private var running = 0

    init(threads: Int) {
        threadCount = max(1, threads)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
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
            generation &+= 1
            running = threadCount - 1
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
            drain(current)
            pthread_mutex_lock(mutex)
            while running > 0 { pthread_cond_wait(done, mutex) }
            job = nil
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

    /// Drains the published job and drops every reference to it before returning: `run` checks, once `running`
    /// reaches 0, that nothing still holds its non-escaping body (a local kept alive to the end of the worker's
    /// loop iteration tripped that check in debug builds).
    @inline(never)
    private func drainPublishedJob() {
        pthread_mutex_lock(mutex)
        let current = job
        pthread_mutex_unlock(mutex)
        if let current { drain(current) }
    }

    private func workerLoop() {
        var seen: UInt64 = 0
        while true {
            pthread_mutex_lock(mutex)
            while generation == seen { pthread_cond_wait(wake, mutex) }
            seen = generation
            pthread_mutex_unlock(mutex)
            drainPublishedJob()
            pthread_mutex_lock(mutex)
            running -= 1
            if running == 0 { pthread_cond_signal(done) }
            pthread_mutex_unlock(mutex)
        }
    }
}
