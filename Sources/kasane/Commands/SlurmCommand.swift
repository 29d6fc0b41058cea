import ArgumentParser
import Trajectory

struct SlurmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slurm", abstract:
        "Submit `eval --checkpoints --db` as Slurm job arrays into shard stores, then a merge (docs/CLUSTER.md).")

    @OptionGroup(title: "Evaluation (as kasane eval)") var eval: EvalCommand
    @Option(help: "Slurm partition.") var partition: String?
    @Option(help: "Slurm account.") var account: String?
    @Option(help: "Slurm QOS.") var qos: String?
    @Option(help: ArgumentHelp("Time limit per task (e.g. 4:00:00).", valueName: "time")) var time: String?
    @Option(help: "CPUs per task; Kasane's threads follow it.") var cpusPerTask: Int?
    @Option(help: ArgumentHelp("Memory per task (e.g. 16G).", valueName: "size")) var mem: String?
    @Option(help: ArgumentHelp("At most N array tasks at once.", valueName: "N")) var maxParallel: Int?
    @Option(help: ArgumentHelp("Passed to every sbatch call (repeatable).", valueName: "arg")) var sbatchArg: [String] = []
    @Option(help: ArgumentHelp("Checkpoints per array task.", valueName: "K")) var checkpointsPerTask: Int = 1
    @Option(help: ArgumentHelp("After the merge: ensemble, stability and report into this folder.", valueName: "dir"))
    var report: String?
    @Option(help: ArgumentHelp("Ensemble window sizes for --report.", valueName: "list"))
    var ensembleWindow = WindowSizes([2, 5, 10])
    @Flag(help: "Write the scripts and print the sbatch lines; submit nothing.") var dryRun = false
    @Flag(help: "Block until the chain ends; exit non-zero if a task failed.") var wait = false

    func run() async throws {
        let resources = SlurmResources(partition: partition, account: account, qos: qos, time: time,
                                       cpusPerTask: cpusPerTask, mem: mem, maxParallel: maxParallel, extraArguments: sbatchArg)
        let request = SlurmRequest(evaluation: eval.request, arguments: Array(CommandLine.arguments.dropFirst(2)),
                                   resources: resources, checkpointsPerTask: checkpointsPerTask,
                                   reportDirectory: report, ensembleWindows: ensembleWindow)
        let console = Console()
        // Off a terminal every change of the chain is a line of its own, so a log shows how it went.
        let last = try SlurmPlan(request).submit(dryRun: dryRun, wait: wait, say: console.say) { progress in
            console.live ? console.show(progress.line) : console.say(progress.line)
        }
        guard let last else { return }
        console.say(last.line)
        for failure in last.failures { Console.error("failed: \(failure)") }
        if !last.failures.isEmpty { throw ExitCode(1) }
    }
}
