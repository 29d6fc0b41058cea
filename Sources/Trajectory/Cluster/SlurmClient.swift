import Foundation

/// The submitted chain: one job id per stage.
public struct SlurmSubmission: Sendable {
    public var jobs: [(stage: SlurmChain.StageName, id: String)] = []
    /// The sbatch command lines, as a person would type them (stage ids shown as $EVAL_JOB etc.).
    public var commandLines: [String] = []
}

/// Where a submitted chain stands, from squeue and the tasks' exit-code files.
public struct SlurmProgress: Sendable, Equatable {
    public var done = 0, running = 0, pending = 0, failed = 0
    /// "stage task N (label): exit 3, log <path>" for each failed or vanished task.
    public var failures: [String] = []
    /// No job of the chain is known to squeue any more.
    public var finished = false

    public var line: String { "\(done) done, \(running) running, \(pending) pending, \(failed) failed" }
}

/// Talks to Slurm through its commands (sbatch, squeue), the interface every cluster offers.
public enum SlurmClient {
    /// Submits the stages in order, each depending on the ids of the stages it waits for. With `dryRun`,
    /// nothing is submitted: the command lines are returned with placeholders for the ids.
    public static func submit(_ chain: SlurmChain, dryRun: Bool) throws -> SlurmSubmission {
        var submission = SlurmSubmission()
        var ids: [SlurmChain.StageName: String] = [:]
        for stage in chain.stages {
            let dependencies = stage.after.compactMap { name -> String? in
                dryRun ? (chain.stages.contains { $0.name == name } ? "$\(name.rawValue.uppercased())_JOB" : nil) : ids[name]
            }
            let arguments = chain.sbatchArguments(stage, dependencies: dependencies)
            submission.commandLines.append("\(stage.name.rawValue.uppercased())_JOB=$(sbatch "
                                           + arguments.map { $0.hasPrefix("--dependency") ? "\"\($0)\"" : shell($0) }
                                               .joined(separator: " ") + ")")
            guard !dryRun else { continue }
            let result = try run("sbatch", arguments)
            guard result.status == 0 else {
                throw TrajectoryError.output(path: chain.scriptPath(stage),
                                             reason: "sbatch refused the \(stage.name.rawValue) stage: \(firstLine(result.error))")
            }
            // --parsable prints "id" or "id;cluster".
            let id = String(result.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first ?? "")
            guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
                throw TrajectoryError.output(path: chain.scriptPath(stage), reason: "sbatch printed no job id ('\(result.output)')")
            }
            ids[stage.name] = id
            submission.jobs.append((stage.name, id))
        }
        return submission
    }

    /// The chain's counts now.
    public static func progress(_ chain: SlurmChain, _ submission: SlurmSubmission) throws -> SlurmProgress {
        let queued = try queueStates(submission.jobs.map(\.id))
        var progress = SlurmProgress()
        for (stageName, id) in submission.jobs {
            guard let stage = chain.stages.first(where: { $0.name == stageName }) else { continue }
            for (index, task) in stage.tasks.enumerated() {
                let key = stage.isArray ? "\(id)_\(index)" : id
                let log = chain.logPath(stageName, task: stage.isArray ? index : nil)
                if let code = exitCode(chain, stageName, index) {
                    if code == 0 { progress.done += 1 } else {
                        progress.failed += 1
                        progress.failures.append("\(stageName.rawValue) task \(index) (\(task.label)): exit \(code), log \(log)")
                    }
                } else if let state = queued[key] ?? (stage.isArray ? queued[id] : nil) {
                    if state == "PENDING" { progress.pending += 1 } else { progress.running += 1 }
                } else {
                    progress.failed += 1
                    progress.failures.append("\(stageName.rawValue) task \(index) (\(task.label)): ended without an exit code"
                                             + " (cancelled, timed out or its node failed), log \(log)")
                }
            }
        }
        progress.finished = queued.isEmpty
        return progress
    }

    /// Polls until no job of the chain is queued; reports each change through `update`.
    public static func wait(_ chain: SlurmChain, _ submission: SlurmSubmission, interval: Double = 5,
                            update: (SlurmProgress) -> Void) throws -> SlurmProgress {
        var last: SlurmProgress?
        while true {
            var now = try progress(chain, submission)
            if now.finished {
                // A task writes its exit file just before it leaves the queue: read once more after it has gone.
                now = try progress(chain, submission)
                update(now)
                return now
            }
            if now != last { update(now) }
            last = now
            Thread.sleep(forTimeInterval: interval)
        }
    }

    private static func exitCode(_ chain: SlurmChain, _ stage: SlurmChain.StageName, _ task: Int) -> Int? {
        let path = "\(chain.statusDirectory)/\(stage.rawValue)-\(task).exit"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Job or array-task id ("12" or "12_3") → state, for the jobs squeue still knows.
    static func queueStates(_ ids: [String]) throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let result = try run("squeue", ["-h", "-r", "-j", ids.joined(separator: ","), "-o", "%i %T"])
        if result.status != 0 {
            // Jobs that left the controller's memory are "invalid" to squeue: nothing of them is queued.
            if result.error.contains("Invalid job id") { return [:] }
            throw TrajectoryError.output(path: "squeue", reason: firstLine(result.error))
        }
        var states: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { states[String(parts[0])] = String(parts[1]) }
        }
        return states
    }

    /// Runs a Slurm command from PATH; a missing command is a clear error, not a crash.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw TrajectoryError.output(path: tool, reason: "cannot run it (\(error.localizedDescription))")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw TrajectoryError.output(path: tool, reason: "not found on PATH (is this a Slurm login node?)")
        }
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "no message")
    }
}
