import Foundation

/// Where a Slurm job runs and what it may use: the sbatch options every stage shares.
public struct SlurmResources: Sendable, Equatable {
    /// `--partition=…`, `--account=…`, `--qos=…`, `--time=…`, `--cpus-per-task=…`, `--mem=…`, for those given.
    public let named: [String]
    /// The `%N` throttle of the arrays: at most this many tasks at once.
    public var maxParallel: Int?
    /// Passed through to every sbatch call as they are (e.g. `--constraint=cpu`).
    public var extraArguments: [String]

    public init(partition: String? = nil, account: String? = nil, qos: String? = nil, time: String? = nil,
                cpusPerTask: Int? = nil, mem: String? = nil, maxParallel: Int? = nil, extraArguments: [String] = []) {
        let given: [(String, String?)] = [("partition", partition), ("account", account), ("qos", qos), ("time", time),
                                          ("cpus-per-task", cpusPerTask.map(String.init)), ("mem", mem)]
        named = given.compactMap { name, value in value.map { "--\(name)=\($0)" } }
        self.maxParallel = maxParallel
        self.extraArguments = extraArguments
    }

    var directives: [String] { named + extraArguments }
}

/// The chain `kasane slurm` submits for one store: an eval array (one task per group of checkpoints), an array
/// for averaged positions, a merge job after both (afterany: partial shards are merged too, so nothing computed
/// is lost), and optionally a report job after the merge. Every task writes its own shard store, so no two
/// processes ever write one file; the merge is the only writer of the main store.
///
/// Layout beside the store `<db>`: `<db>.slurm/` holds one sbatch script per stage, `logs/` and `status/`
/// (each task's exit code, written on exit), and `<db>.shards/` the shard stores.
public struct SlurmChain: Sendable {
    /// One array task: the commands it runs, in order.
    public struct Task: Sendable, Equatable {
        public var label: String
        public var commands: [[String]]
    }

    public enum StageName: String, Sendable, CaseIterable { case eval, average, merge, report }

    public struct Stage: Sendable {
        public var name: StageName
        public var tasks: [Task]
        /// Stages this one waits for, and how (afterany or afterok).
        public var after: [StageName]
        public var afterCondition: String
        public var isArray: Bool { name == .eval || name == .average }
    }

    public let db: String
    public let resources: SlurmResources
    public private(set) var stages: [Stage] = []

    public var directory: String { db + ".slurm" }
    public var shardDirectory: String { db + ".shards" }
    public var logDirectory: String { directory + "/logs" }
    public var statusDirectory: String { directory + "/status" }

    /// `evalArguments`: the `kasane eval` arguments shared by every task, without `--db`, `--steps` or
    /// `--last-fraction` (each task selects its own steps). `pendingSteps`: raw checkpoints with rows missing;
    /// `pendingAverageSteps`: positions whose averaged model is missing (with `averageArguments`, e.g.
    /// `--average-window 5`). `reportCommands`: run after the merge, nil for none.
    public init(kasane: String, db: String, evalArguments: [String], pendingSteps: [Int], checkpointsPerTask: Int,
                averageArguments: [String]?, pendingAverageSteps: [Int], reportCommands: [[String]]?,
                resources: SlurmResources) {
        self.db = db
        self.resources = resources
        let group = max(1, checkpointsPerTask)
        func tasks(_ steps: [Int], stage: StageName, extra: [String]) -> [Task] {
            stride(from: 0, to: steps.count, by: group).map { start in
                let members = Array(steps[start..<min(start + group, steps.count)])
                let shard = "\(shardDirectory)/\(stage.rawValue)-step\(members[0]).sqlite"
                return Task(label: "steps " + members.map(String.init).joined(separator: ","), commands: members.map {
                    [kasane, "eval"] + evalArguments + extra
                        + ["--steps", "\($0):\($0)", "--db", shard, "--journal", "rollback", "--quiet"]
                })
            }
        }
        var evaluated: [StageName] = []
        if !pendingSteps.isEmpty {
            stages.append(Stage(name: .eval, tasks: tasks(pendingSteps, stage: .eval, extra: []), after: [],
                                afterCondition: ""))
            evaluated.append(.eval)
        }
        if let averageArguments, !pendingAverageSteps.isEmpty {
            stages.append(Stage(name: .average, tasks: tasks(pendingAverageSteps, stage: .average, extra: averageArguments),
                                after: [], afterCondition: ""))
            evaluated.append(.average)
        }
        guard !evaluated.isEmpty || reportCommands != nil else { return }
        // The merge takes every shard there is, also those of earlier, interrupted submissions.
        let merge = [kasane, "merge", "--db", db, shardDirectory]
        stages.append(Stage(name: .merge, tasks: [Task(label: "merge", commands: [merge])], after: evaluated,
                            afterCondition: "afterany"))
        if let reportCommands {
            stages.append(Stage(name: .report, tasks: [Task(label: "report", commands: reportCommands)],
                                after: [.merge], afterCondition: "afterok"))
        }
    }

    public func scriptPath(_ stage: Stage) -> String { "\(directory)/\(stage.name.rawValue).sbatch" }

    /// The log of one task (`%a` is the array index).
    public func logPath(_ stage: StageName, task: Int?) -> String {
        "\(logDirectory)/\(stage.rawValue)\(task.map { "-\($0)" } ?? "").out"
    }

    /// The readable sbatch script of a stage.
    public func script(_ stage: Stage) -> String {
        var lines = ["#!/bin/bash",
                     "# Written by kasane slurm for \(db); stage \(stage.name.rawValue): "
                        + (stage.isArray ? "\(stage.tasks.count) array task(s)." : "one job."),
                     "#SBATCH --job-name=kasane-\(stage.name.rawValue)"]
        if stage.isArray {
            let throttle = resources.maxParallel.map { "%\($0)" } ?? ""
            lines.append("#SBATCH --array=0-\(stage.tasks.count - 1)\(throttle)")
            lines.append("#SBATCH --output=\(logDirectory)/\(stage.name.rawValue)-%a.out")
        } else {
            lines.append("#SBATCH --output=\(logPath(stage.name, task: nil))")
        }
        lines += resources.directives.map { "#SBATCH \($0)" }
        lines += ["set -uo pipefail",
                  "task=${SLURM_ARRAY_TASK_ID:-0}",
                  "# The exit code of this task, for `kasane slurm --wait` (no file: cancelled or killed).",
                  "exit_file=\(shell("\(statusDirectory)/\(stage.name.rawValue)"))-$task.exit",
                  "trap 'echo $? > \"$exit_file\"' EXIT",
                  "# Threads follow the allocation.",
                  "export KASANE_THREADS=${SLURM_CPUS_PER_TASK:-${KASANE_THREADS:-1}}",
                  "export OPENBLAS_NUM_THREADS=$KASANE_THREADS",
                  "mkdir -p \(shell(shardDirectory))",
                  "run() { echo \"+ $*\"; \"$@\" || exit $?; }",
                  "case $task in"]
        for (index, task) in stage.tasks.enumerated() {
            lines.append("  \(index))  # \(task.label)")
            for command in task.commands { lines.append("    run " + command.map(shell).joined(separator: " ")) }
            lines.append("    ;;")
        }
        lines += ["  *) echo \"no task $task\" >&2; exit 2 ;;", "esac"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes every stage's script (and the log and status folders); returns the script paths.
    public func writeScripts() throws -> [String] {
        for folder in [directory, logDirectory, statusDirectory] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw TrajectoryError.output(path: folder, reason: "cannot create the folder (\(error.localizedDescription))")
            }
        }
        return try stages.map { stage in
            let path = scriptPath(stage)
            do {
                try script(stage).write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw TrajectoryError.output(path: path, reason: "cannot write the script (\(error.localizedDescription))")
            }
            // Old exit codes of this stage would be read as this submission's.
            for index in stage.tasks.indices {
                try? FileManager.default.removeItem(atPath: "\(statusDirectory)/\(stage.name.rawValue)-\(index).exit")
            }
            return path
        }
    }

    /// The sbatch argument list of a stage, given the job ids of the stages it waits for.
    public func sbatchArguments(_ stage: Stage, dependencies: [String]) -> [String] {
        var arguments = ["--parsable"]
        if !dependencies.isEmpty {
            arguments.append("--dependency=\(stage.afterCondition):" + dependencies.joined(separator: ":"))
            // A dependency that can never be met (a failed merge) cancels the job instead of leaving it pending.
            arguments.append("--kill-on-invalid-dep=yes")
        }
        return arguments + [scriptPath(stage)]
    }
}

/// Single-quotes a word for bash unless it is plainly safe.
func shell(_ word: String) -> String {
    let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:,%+@"))
    if !word.isEmpty, word.unicodeScalars.allSatisfy({ safe.contains($0) && $0.isASCII }) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
