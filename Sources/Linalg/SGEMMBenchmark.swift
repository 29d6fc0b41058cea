#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BLAS {
    public struct SGEMMMeasurement: Sendable {
        public var size: Int
        public var runs: Int
        public var seconds: Double
        public var gflops: Double { 2 * Double(size) * Double(size) * Double(size) * Double(runs) / seconds / 1e9 }
    }

    /// Multiplies two size×size matrices repeatedly for about `seconds` (after one warm-up run) and reports the rate.
    public static func measureSGEMM(size: Int = 1024, seconds: Double = 1.0) -> SGEMMMeasurement {
        let n = max(1, size)
        let a = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * n)
        let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * n)
        let c = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * n)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        for i in 0..<(n * n) {
            a[i] = Float(i % 17) * 0.01 - 0.08
            b[i] = Float(i % 13) * 0.01 - 0.06
        }
        c.initialize(repeating: 0)
        func once() {
            sgemm(m: n, n: n, k: n, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!)
        }
        let (runs, elapsed) = timedRepeat(seconds: seconds, once)
        return SGEMMMeasurement(size: n, runs: runs, seconds: elapsed)
    }
}

/// Runs `body` once to warm up, then repeatedly for about `seconds`; returns the timed runs and seconds.
func timedRepeat(seconds: Double, _ body: () -> Void) -> (runs: Int, seconds: Double) {
    body()
    let start = monotonicSeconds()
    var runs = 0
    var elapsed = 0.0
    repeat {
        body()
        runs += 1
        elapsed = monotonicSeconds() - start
    } while elapsed < seconds
    return (runs, elapsed)
}

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
