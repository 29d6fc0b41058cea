import ArgumentParser
import Trajectory

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract:
        "Fold shard stores into one result store in one transaction; a differing row or foreign shard is refused.")

    @Option(help: ArgumentHelp("The main result store (created if missing).", valueName: "file")) var db: String
    @Argument(help: ArgumentHelp("Shard stores, or folders of *.sqlite.", valueName: "shard")) var shards: [String]

    func run() async throws {
        let files = try MergeSummary.shardFiles(shards)
        if files.isEmpty { return print("merge: no shard stores in \(shards.joined(separator: " ")); nothing to do") }
        print(try ResultStore(path: db).merge(shards: files).line(db: db))
    }
}
