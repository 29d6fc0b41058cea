import ArgumentParser
import Foundation
import Trajectory

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Fold shard stores (Slurm tasks, other machines) into one result store.",
        discussion: """
        One transaction: every shard lands or nothing does. Rows already in the store and identical are kept once, \
        so merging again changes nothing. A row that differs for the same key, or a shard of another run or other \
        settings, is refused with a one-line error naming both files. A folder argument means every *.sqlite in it.
        """)

    @Option(help: ArgumentHelp("The main result store (created if missing).", valueName: "file"))
    var db: String
    @Argument(help: ArgumentHelp("Shard stores, or folders of them.", valueName: "shard"))
    var shards: [String]

    func run() async throws {
        let files = try MergeSummary.shardFiles(shards)
        if files.isEmpty { print("merge: no shard stores in \(shards.joined(separator: " ")); nothing to do"); return }
        print(try ResultStore(path: db).merge(shards: files).line(db: db))
    }
}
