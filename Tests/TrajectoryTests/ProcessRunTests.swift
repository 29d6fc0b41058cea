import Foundation
import Testing
@testable import Trajectory

/// End-to-end: the built `kasane` binary evaluates tiny random checkpoints on real llm-jp-eval files.
enum KasaneBinary {
    /// The `kasane` executable built beside the test bundle (swift build --build-tests builds both).
    static var path: String? {
        var candidates: [String] = []
        let here = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        candidates.append(here.appendingPathComponent("kasane").path)
        candidates.append(here.deletingLastPathComponent().appendingPathComponent("kasane").path)
        for config in ["release", "debug"] {
            candidates.append((Repo.root as NSString).appendingPathComponent(".build/\(config)/kasane"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A started `kasane` and its stderr.
    struct Started {
        let process: Process
        fileprivate let stderr: FileHandle
        /// What the process wrote to stderr (after it exited).
        func errors() -> String {
            try? stderr.seek(toOffset: 0)
            return String(decoding: (try? stderr.readToEnd()) ?? Data(), as: UTF8.self)
        }
    }

    /// `environment` adds to (or overrides) the inherited variables.
    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Started {
        guard let path else { throw TrajectoryError.output(path: "kasane", reason: "executable not found next to the tests") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        // stderr to a file, so a failing run explains itself (see `errors`); unlinked once open, so nothing is left
        // in /tmp whether or not anyone reads it, even if the test crashes.
        let log = NSTemporaryDirectory() + "kasane-e2e-stderr-\(UUID().uuidString).txt"
        guard FileManager.default.createFile(atPath: log, contents: nil), let stderr = FileHandle(forUpdatingAtPath: log) else {
            throw TrajectoryError.output(path: log, reason: "cannot create the stderr file")
        }
        unlink(log)
        process.standardError = stderr
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        try process.run()
        return Started(process: process, stderr: stderr)
    }

    /// Runs to completion; records the stderr of a failing run as a test issue.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Int32 {
        let started = try start(arguments, environment: environment)
        started.process.waitUntilExit()
        let status = started.process.terminationStatus
        if status != 0 { Issue.record("kasane \(arguments.first ?? "") failed: \(started.errors())") }
        return status
    }
}

/// A small run: 3 tiny checkpoints × 2 real datasets × 6 examples, 2 shots, batches of 2.
struct TinyRun {
    let dir: TempDir
    let checkpoints: String
    init() throws {
        dir = try TempDir("kasane-e2e")
        checkpoints = dir.file("run")
        do {
            for (k, step) in [100, 200, 300].enumerated() {
                try TinyCheckpoints.write((checkpoints as NSString).appendingPathComponent("checkpoint-\(step)"), seed: UInt64(k + 1))
            }
        } catch {
            dir.cleanup()   // the caller's defer is not set up yet
            throw error
        }
    }

    func arguments(db: String, extra: [String] = []) -> [String] {
        ["eval", "--checkpoints", checkpoints, "--evalsets", TinyCheckpoints.evalsets, "--db", db,
         "--datasets", "jamp,jcommonsenseqa", "--max-samples", "6", "--shots", "2", "--batch-size", "2",
         "--tokenizer", TinyCheckpoints.tokenizer, "--quiet"] + extra
    }
}

private func predictionRows(_ path: String) throws -> Int {
    guard FileManager.default.fileExists(atPath: path) else { return 0 }
    guard let store = try? ResultStore(path: path, readOnly: true) else { return 0 }
    return (try? store.connection.query("SELECT count(*) FROM predictions").first?.first?.int) ?? 0
}

@Test(.timeLimit(.minutes(10)))
func killedRunResumesToTheRowsOfAnUninterruptedRun() throws {
    let run = try TinyRun(); defer { run.dir.cleanup() }
    let reference = run.dir.file("reference.sqlite")
    #expect(try KasaneBinary.run(run.arguments(db: reference)) == 0)
    let expected = try dumpRun(try ResultStore(path: reference, readOnly: true))
    #expect(expected.count > 36)   // 36 predictions + scores + aggregates

    // SIGKILL as soon as some, but not all, predictions are stored; then resume. A fast machine may finish before
    // the kill lands: then try again, killing earlier.
    let killed = run.dir.file("killed.sqlite")
    var interrupted = false
    for threshold in [8, 4, 1] {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: killed + suffix) }
        let process = try KasaneBinary.start(run.arguments(db: killed)).process
        while process.isRunning {
            if try predictionRows(killed) >= threshold { break }
            usleep(1_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let afterKill = try predictionRows(killed)
        if process.terminationReason == .uncaughtSignal && afterKill < 36 {
            #expect(afterKill >= threshold)
            interrupted = true
            break
        }
    }
    #expect(interrupted, "every run finished before it could be killed")
    #expect(try KasaneBinary.run(run.arguments(db: killed)) == 0)
    #expect(try dumpRun(try ResultStore(path: killed, readOnly: true)) == expected)
}

@Test(.timeLimit(.minutes(10)))
func twoProcessesWriteOneStoreAtOnce() throws {
    let run = try TinyRun(); defer { run.dir.cleanup() }
    let reference = run.dir.file("reference.sqlite")
    #expect(try KasaneBinary.run(run.arguments(db: reference)) == 0)
    let shared = run.dir.file("shared.sqlite")
    let a = try KasaneBinary.start(run.arguments(db: shared, extra: ["--steps", "100:200"]))
    let b = try KasaneBinary.start(run.arguments(db: shared, extra: ["--steps", "300:300"]))
    a.process.waitUntilExit(); b.process.waitUntilExit()
    #expect(a.process.terminationStatus == 0, "\(a.errors())")
    #expect(b.process.terminationStatus == 0, "\(b.errors())")
    #expect(try dumpRun(try ResultStore(path: shared, readOnly: true)) == (try dumpRun(try ResultStore(path: reference, readOnly: true))))
}

/// `eval --average-window` builds averaged models in memory; they must generate exactly what the checkpoint that
/// `kasane average` writes for the same window generates when evaluated as an ordinary checkpoint.
@Test(.timeLimit(.minutes(10)))
func averagedInMemoryEvaluatesLikeTheWrittenAverage() throws {
    let run = try TinyRun(); defer { run.dir.cleanup() }
    let inMemory = run.dir.file("in-memory.sqlite")
    #expect(try KasaneBinary.run(run.arguments(db: inMemory, extra: ["--average-window", "2"])) == 0)
    let store = try ResultStore(path: inMemory, readOnly: true)
    let averaged = try store.connection.query("SELECT step, window FROM models WHERE kind = 'average' ORDER BY step")
    #expect(averaged.map { $0.map(\.int) } == [[200, 2], [300, 2]])   // trailing window 2: no full window at 100
    #expect(try store.connection.query("SELECT count(*) FROM models WHERE kind = 'raw'").first?.first?.int == 0)

    let written = run.dir.file("averaged")
    #expect(try KasaneBinary.run(["average", "--checkpoints", run.checkpoints, "--window", "2", "--at", "300",
                                  "--output", written]) == 0)
    let fromDisk = run.dir.file("from-disk.sqlite")
    var arguments = run.arguments(db: fromDisk)
    let at = arguments.firstIndex(of: "--checkpoints")!
    arguments.replaceSubrange(at...(at + 1), with: ["--model", (written as NSString).appendingPathComponent("checkpoint-300")])
    #expect(try KasaneBinary.run(arguments) == 0)

    func generations(_ path: String, kind: String) throws -> [String] {
        try ResultStore(path: path, readOnly: true).connection.query("""
            SELECT d.name, p.example, p.generated FROM predictions p JOIN models m ON p.model_id = m.id
            JOIN datasets d ON p.dataset_id = d.id WHERE m.kind = ? AND m.step = 300 ORDER BY d.name, p.example
            """, [.text(kind)]).map { row in row.map { "\($0)" }.joined(separator: "|") }
    }
    let expected = try generations(fromDisk, kind: "raw")
    #expect(expected.count == 12)
    #expect(try generations(inMemory, kind: "average") == expected)
}
