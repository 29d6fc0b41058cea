import Evaluation
import Foundation
import Testing
@testable import Trajectory

/// `kasane slurm` on a real single-node Slurm (tools/slurm-local.sh, started by `make test`). Without one these
/// tests fail with the reason: they never pass silently.
@Suite(.serialized) struct SlurmTests {
    static func requireSlurm() throws {
        guard ProcessInfo.processInfo.environment["SLURM_CONF"] != nil else {
            throw TrajectoryError.missingFile(path: "SLURM_CONF", what: "a running Slurm (run tools/slurm-local.sh up; make test does)")
        }
        let info = try SlurmClient.run("sinfo", ["-h", "-o", "%t"])
        guard info.status == 0, !info.output.isEmpty else {
            throw TrajectoryError.output(path: "sinfo", reason: "Slurm does not answer: \(info.error)")
        }
    }

    static func slurmArguments(_ run: TinyRun, db: String, _ extra: [String]) -> [String] {
        var arguments = run.arguments(db: db)
        arguments[0] = "slurm"
        return arguments + ["--cpus-per-task", "1"] + extra
    }

    static func queued(_ names: String) throws -> Int {
        try SlurmClient.run("squeue", ["-h", "-r", "-n", names]).output.split(separator: "\n").count
    }

    /// No Slurm needed: what every task would refuse is refused by the plan, before a script is written.
    @Test func requestsNoTaskCouldRunAreRefusedBeforeAnythingIsWritten() {
        func plan(_ models: ModelSelection, checkpointsPerTask: Int = 1, batchSize: Int = 1) throws -> SlurmPlan {
            var options = EvalOptions()
            options.batchSize = batchSize
            let evaluation = TrajectoryRequest(models: models, setup: EvaluationSetup(evalsets: "/nonexistent",
                                               evalOptions: options), db: "/nonexistent/main.sqlite")
            return try SlurmPlan(SlurmRequest(evaluation: evaluation, arguments: [], resources: SlurmResources(),
                                              checkpointsPerTask: checkpointsPerTask))
        }
        let run = ModelSelection.run(folder: "/nonexistent", steps: nil, lastFraction: nil)
        func message(_ body: () throws -> SlurmPlan) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        #expect(message { try plan(.single(path: "/nonexistent", step: nil)) }.hasPrefix("kasane slurm needs --checkpoints"))
        #expect(message { try plan(run, checkpointsPerTask: 0) }
                == "--checkpoints-per-task: '0' is not valid (expected at least 1)")
        #expect(message { try plan(run, batchSize: 0) } == "--batch-size: field 'batch_size' must be ≥ 1 (found 0)")
    }

    @Test(.timeLimit(.minutes(10)))
    func anArrayWithAMergeStoresWhatALocalRunStoresAndARerunSubmitsNothing() throws {
        try Self.requireSlurm()
        let run = try TinyRun(); defer { run.dir.cleanup() }
        let reference = run.dir.file("reference.sqlite")
        #expect(try KasaneBinary.run(run.arguments(db: reference)) == 0)
        let main = run.dir.file("main.sqlite")
        #expect(try KasaneBinary.run(Self.slurmArguments(run, db: main, ["--checkpoints-per-task", "2", "--wait"])) == 0)
        let expected = try dumpRun(try ResultStore(path: reference, readOnly: true))
        #expect(try dumpRun(try ResultStore(path: main, readOnly: true)) == expected)
        let script = main + ".slurm/eval.sbatch"
        #expect(try String(contentsOfFile: script, encoding: .utf8).contains("#SBATCH --array=0-1"))  // 3 checkpoints, 2 per task

        // Everything is stored: the same command submits nothing and rewrites no script.
        let written = try FileManager.default.attributesOfItem(atPath: script)[.modificationDate] as? Date
        #expect(try KasaneBinary.run(Self.slurmArguments(run, db: main, ["--checkpoints-per-task", "2", "--wait"])) == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: script)[.modificationDate] as? Date == written)
        #expect(try dumpRun(try ResultStore(path: main, readOnly: true)) == expected)
    }

    @Test(.timeLimit(.minutes(10)))
    func cancelledTasksAreResubmittedAndTheMergedStoreEqualsAnUninterruptedOne() throws {
        try Self.requireSlurm()
        let run = try TinyRun(); defer { run.dir.cleanup() }
        let reference = run.dir.file("reference.sqlite")
        #expect(try KasaneBinary.run(run.arguments(db: reference)) == 0)
        let main = run.dir.file("main.sqlite")
        // One task at a time; cancel the array as soon as its first task has finished.
        #expect(try KasaneBinary.run(Self.slurmArguments(run, db: main, ["--max-parallel", "1"])) == 0)
        let firstExit = main + ".slurm/status/eval-0.exit"
        let deadline = Date().addingTimeInterval(300)
        while !FileManager.default.fileExists(atPath: firstExit) && Date() < deadline { usleep(50_000) }
        #expect(try SlurmClient.run("scancel", ["-n", "kasane-eval"]).status == 0)
        while try Self.queued("kasane-eval,kasane-merge") > 0 && Date() < deadline { usleep(200_000) }

        let partial = try dumpRun(try ResultStore(path: main, readOnly: true))
        let expected = try dumpRun(try ResultStore(path: reference, readOnly: true))
        #expect(!partial.isEmpty && partial.count < expected.count, "the cancel should leave the run incomplete")

        #expect(try KasaneBinary.run(Self.slurmArguments(run, db: main, ["--wait"])) == 0)
        let resubmitted = try String(contentsOfFile: main + ".slurm/eval.sbatch", encoding: .utf8)
        #expect(!resubmitted.contains("--array=0-2"), "the finished checkpoint must get no task again")
        #expect(try dumpRun(try ResultStore(path: main, readOnly: true)) == expected)
    }

    @Test(.timeLimit(.minutes(5)))
    func dryRunScriptsPassSbatchTestOnlyAndNothingIsSubmitted() throws {
        try Self.requireSlurm()
        let run = try TinyRun(); defer { run.dir.cleanup() }
        let main = run.dir.file("main.sqlite")
        let before = try Self.queued("kasane-eval,kasane-average,kasane-merge,kasane-report")
        #expect(try KasaneBinary.run(Self.slurmArguments(run, db: main, [
            "--dry-run", "--average-window", "2", "--report", run.dir.file("report"), "--time", "0:10:00",
            "--mem", "1G", "--sbatch-arg=--comment=kasane-test"])) == 0)
        let folder = main + ".slurm"
        let scripts = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sbatch") }.sorted()
        #expect(scripts == ["average.sbatch", "eval.sbatch", "merge.sbatch", "report.sbatch"])
        for script in scripts {
            let check = try SlurmClient.run("sbatch", ["--test-only", folder + "/" + script])
            #expect(check.status == 0, "\(script): \(check.error)")
        }
        let average = try String(contentsOfFile: folder + "/average.sbatch", encoding: .utf8)
        #expect(average.contains("--average-window 2") && average.contains("#SBATCH --mem=1G"))
        #expect(!FileManager.default.fileExists(atPath: main))
        #expect(try Self.queued("kasane-eval,kasane-average,kasane-merge,kasane-report") == before)
    }
}
