import Evaluation
import Foundation

/// What `kasane slurm` is asked for: the evaluation (as `kasane eval --checkpoints --db` takes it), where its jobs
/// run, how checkpoints are grouped into tasks, and the optional report stage.
public struct SlurmRequest: Sendable {
    public var evaluation: TrajectoryRequest
    /// The command line after `kasane slurm`: each task gets it again, without the Slurm-only options and the
    /// options every task sets itself.
    public var arguments: [String]
    public var resources: SlurmResources
    public var checkpointsPerTask: Int
    /// After the merge: ensemble, stability and report into this folder (nil: no report stage).
    public var reportDirectory: String?
    public var ensembleWindows: WindowSizes

    public init(evaluation: TrajectoryRequest, arguments: [String], resources: SlurmResources,
                checkpointsPerTask: Int = 1, reportDirectory: String? = nil,
                ensembleWindows: WindowSizes = WindowSizes([2, 5, 10])) {
        self.evaluation = evaluation; self.arguments = arguments; self.resources = resources
        self.checkpointsPerTask = checkpointsPerTask; self.reportDirectory = reportDirectory
        self.ensembleWindows = ensembleWindows
    }
}

/// The chain a `SlurmRequest` needs now: only what the store still lacks, so running the same command again
/// submits only what is missing.
public struct SlurmPlan: Sendable {
    public var chain: SlurmChain
    public var pendingSteps: [Int]
    public var pendingAverageSteps: [Int]

    /// `kasane`: the executable's absolute path (tasks run it again); default: this process's executable.
    public init(_ request: SlurmRequest, kasane: String = SlurmPlan.currentExecutable) throws {
        // What every task would refuse is refused here, before a script is written or a job submitted.
        guard case .run = request.evaluation.models else {
            throw TrajectoryError.selection("kasane slurm needs --checkpoints DIR (a run to split into array tasks)")
        }
        guard request.checkpointsPerTask >= 1 else {
            throw TrajectoryError.invalidOption(option: "--checkpoints-per-task", value: String(request.checkpointsPerTask),
                                                expected: "at least 1")
        }
        try request.evaluation.setup.evalOptions.validate()
        var evaluation = request.evaluation
        let db = TrajectoryEvaluation.absolute(evaluation.db)
        evaluation.db = db
        let (runName, pending, pendingAverage) = try TrajectoryEvaluation.missing(evaluation)
        let (shared, averaging) = Self.forwardedArguments(request.arguments)
        var resources = request.resources
        resources.extraArguments.insert("--chdir=\(FileManager.default.currentDirectoryPath)", at: 0)
        let reportCommands = request.reportDirectory.map { dir -> [[String]] in
            let run = ["--db", db, "--run", runName]
            var stability = [kasane, "stability"] + run
            if case let .run(_, _, fraction?) = evaluation.models { stability += ["--last-fraction", fraction.text] }
            return [[kasane, "ensemble"] + run + ["--window", request.ensembleWindows.description], stability,
                    [kasane, "report"] + run + ["--output", TrajectoryEvaluation.absolute(dir)]]
        }
        chain = SlurmChain(kasane: kasane, db: db, evalArguments: shared, pendingSteps: pending,
                           checkpointsPerTask: request.checkpointsPerTask,
                           averageArguments: averaging.isEmpty ? nil : averaging, pendingAverageSteps: pendingAverage,
                           reportCommands: reportCommands, resources: resources)
        pendingSteps = pending
        pendingAverageSteps = pendingAverage
    }

    public static var currentExecutable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }

    /// `kasane slurm`: writes the scripts and submits the chain (with `dryRun`, only prints its sbatch lines),
    /// telling each permanent line to `say`. With `wait`, follows the chain to its end, every change through
    /// `status`, and returns its last progress.
    public func submit(dryRun: Bool, wait: Bool, say: (String) -> Void,
                       status: (SlurmProgress) -> Void) throws -> SlurmProgress? {
        guard !chain.stages.isEmpty else {
            say("nothing to submit: every selected checkpoint is stored in \(chain.db)")
            return nil
        }
        let scripts = try chain.writeScripts()
        say("\(pendingSteps.count) checkpoint(s) to evaluate, \(pendingAverageSteps.count) averaged "
            + "position(s); scripts: " + scripts.joined(separator: " "))
        let submission = try SlurmClient.submit(chain, dryRun: dryRun)
        submission.commandLines.forEach(say)
        if dryRun { return nil }
        say("submitted: " + submission.jobs.map { "\($0.stage.rawValue) \($0.id)" }.joined(separator: ", "))
        guard wait else { return nil }
        return try SlurmClient.wait(chain, submission, update: status)
    }

    /// `kasane slurm`'s own options (valued, then flags).
    static let slurmValued: Set<String> = ["--partition", "--account", "--qos", "--time", "--cpus-per-task", "--mem",
                                           "--max-parallel", "--sbatch-arg", "--checkpoints-per-task", "--report",
                                           "--ensemble-window"]
    static let slurmFlags: Set<String> = ["--dry-run", "--wait", "--quiet"]
    /// Eval options each task sets itself (selection, store), and those only the averaging stage gets.
    static let perTask: Set<String> = ["--db", "--steps", "--last-fraction", "--journal"]
    static let averagingOptions: Set<String> = ["--average-window", "--align", "--average-weights"]

    /// Splits the command line into what every eval task gets and the averaging options.
    static func forwardedArguments(_ arguments: [String]) -> (shared: [String], averaging: [String]) {
        var shared: [String] = [], averaging: [String] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            let name = word.hasPrefix("--") ? String(word.split(separator: "=", maxSplits: 1)[0]) : word
            let inline = word.contains("=") && word.hasPrefix("--")
            let valued = slurmValued.contains(name) || perTask.contains(name) || averagingOptions.contains(name)
            let span = valued && !inline ? 2 : 1
            let piece = Array(arguments[index..<min(index + span, arguments.count)])
            if averagingOptions.contains(name) {
                averaging += piece
            } else if !(slurmValued.contains(name) || slurmFlags.contains(name) || perTask.contains(name)) {
                shared += piece
            }
            index += span
        }
        return (shared, averaging)
    }
}

extension LastFraction {
    /// As `--last-fraction` takes it again.
    public var text: String { "\(numerator)/\(denominator)" }
}
