import ArgumentParser
import Foundation
import Trajectory

struct SlurmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Evaluate a run on a Slurm cluster: a job array per run, shard stores, a merge, an optional report.",
        discussion: """
        Takes the options of `kasane eval --checkpoints DIR --db FILE` and submits: an array with one task per \
        --checkpoints-per-task checkpoints (each evaluating into its own shard store under FILE.shards/), with \
        --average-window an array for the averaged positions, a merge job after both (afterany) and with --report a \
        job running ensemble, stability and report (afterok). Checkpoints whose rows are all stored get no task, so \
        running the same command again submits only what is missing. Scripts and logs: FILE.slurm/. See docs/CLUSTER.md.
        """)

    @OptionGroup(title: "Evaluation (as kasane eval)") var eval: EvalCommand

    @Option(help: "Slurm partition.") var partition: String?
    @Option(help: "Slurm account.") var account: String?
    @Option(help: "Slurm QOS.") var qos: String?
    @Option(help: ArgumentHelp("Time limit per task (Slurm syntax, e.g. 4:00:00).", valueName: "time")) var time: String?
    @Option(help: "CPUs per task; Kasane's threads follow it.") var cpusPerTask: Int?
    @Option(help: ArgumentHelp("Memory per task (e.g. 16G).", valueName: "size")) var mem: String?
    @Option(help: ArgumentHelp("At most N array tasks at once (the array %N throttle).", valueName: "N")) var maxParallel: Int?
    @Option(help: ArgumentHelp("Passed to every sbatch call as it is (repeatable).", valueName: "arg")) var sbatchArg: [String] = []
    @Option(help: ArgumentHelp("Checkpoints evaluated by one array task.", valueName: "K")) var checkpointsPerTask: Int = 1
    @Option(help: ArgumentHelp("After the merge: ensemble, stability and report into this folder.", valueName: "dir")) var report: String?
    @Option(help: ArgumentHelp("Ensemble window sizes for --report.", valueName: "list")) var ensembleWindow: String = "2,5,10"
    @Flag(help: "Write the scripts and print the sbatch lines; submit nothing.") var dryRun = false
    @Flag(help: "Block until the chain ends; exit non-zero if a task failed, naming its log.") var wait = false

    /// Options of this command that `kasane eval` does not take (valued, then flags).
    static let ownValued: Set<String> = ["--partition", "--account", "--qos", "--time", "--cpus-per-task", "--mem",
                                         "--max-parallel", "--sbatch-arg", "--checkpoints-per-task", "--report",
                                         "--ensemble-window"]
    static let ownFlags: Set<String> = ["--dry-run", "--wait"]
    /// Eval options each task sets itself (selection, store) or only the averaging stage gets.
    static let perTask: Set<String> = ["--db", "--steps", "--last-fraction", "--journal"]
    static let averagingOptions: Set<String> = ["--average-window", "--align", "--average-weights"]

    func validate() throws {
        guard eval.selection.checkpoints != nil, eval.store.db != nil else {
            throw ValidationError("kasane slurm needs --checkpoints DIR and --db FILE")
        }
        guard checkpointsPerTask >= 1 else { throw ValidationError("--checkpoints-per-task must be ≥ 1") }
    }

    func run() async throws {
        var request = eval.request
        let db = TrajectoryEvaluation.absolute(request.db)
        request.db = db
        let (runName, pending, pendingAverage) = try TrajectoryEvaluation.missing(request)
        let (shared, averageArguments) = Self.forwardedArguments(Array(CommandLine.arguments.dropFirst(2)))
        let kasane = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var resources = SlurmResources()
        resources.partition = partition; resources.account = account; resources.qos = qos; resources.time = time
        resources.cpusPerTask = cpusPerTask; resources.mem = mem; resources.maxParallel = maxParallel
        resources.extraArguments = ["--chdir=\(FileManager.default.currentDirectoryPath)"] + sbatchArg
        let reportCommands = report.map { dir -> [[String]] in
            let run = ["--db", db, "--run", runName]
            var stability = [kasane, "stability"] + run
            if let fraction = eval.selection.lastFraction { stability += ["--last-fraction", fraction.text] }
            return [[kasane, "ensemble"] + run + ["--window", ensembleWindow], stability,
                    [kasane, "report"] + run + ["--output", TrajectoryEvaluation.absolute(dir)]]
        }
        let chain = SlurmChain(kasane: kasane, db: db, evalArguments: shared, pendingSteps: pending,
                               checkpointsPerTask: checkpointsPerTask,
                               averageArguments: averageArguments.isEmpty ? nil : averageArguments,
                               pendingAverageSteps: pendingAverage, reportCommands: reportCommands, resources: resources)
        guard !chain.stages.isEmpty else {
            print("nothing to submit: every selected checkpoint is stored in \(db)")
            return
        }
        let scripts = try chain.writeScripts()
        print("\(pending.count) checkpoint(s) to evaluate, \(pendingAverage.count) averaged position(s); scripts: "
              + scripts.joined(separator: " "))
        let submission = try SlurmClient.submit(chain, dryRun: dryRun)
        for line in submission.commandLines { print(line) }
        if dryRun { return }
        print("submitted: " + submission.jobs.map { "\($0.stage.rawValue) \($0.id)" }.joined(separator: ", "))
        guard wait else { return }
        let live = StatusLine(enabled: true)
        let last = try SlurmClient.wait(chain, submission) { progress in
            live.show(progress.line)
            if isatty(2) == 0 { print(progress.line) }
        }
        live.clear()
        print(last.line)
        if !last.failures.isEmpty {
            for failure in last.failures { FileHandle.standardError.write(Data("failed: \(failure)\n".utf8)) }
            throw ExitCode(1)
        }
    }

    /// Splits this command's arguments into those every eval task gets and the averaging options.
    static func forwardedArguments(_ arguments: [String]) -> (shared: [String], averaging: [String]) {
        var shared: [String] = [], averaging: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            let name = word.hasPrefix("--") ? String(word.split(separator: "=", maxSplits: 1)[0]) : word
            let inline = word.contains("=") && word.hasPrefix("--")
            let valued = ownValued.contains(name) || perTask.contains(name) || averagingOptions.contains(name)
            let span = valued && !inline ? 2 : 1
            let piece = Array(arguments[index..<min(index + span, arguments.count)])
            if averagingOptions.contains(name) {
                averaging += piece
            } else if !(ownValued.contains(name) || ownFlags.contains(name) || perTask.contains(name) || name == "--quiet") {
                shared += piece
            }
            index += span
        }
        return (shared, averaging)
    }
}
