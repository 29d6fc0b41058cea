import ArgumentParser
import Trajectory

struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract:
        "Fold shard stores into one result store in one transaction; a differing row or foreign shard is refused.")

    @Option(help: ArgumentHelp("The main result store (created if missing).", valueName: "file")) var db: String
    @Argument(help: ArgumentHelp("Shard stores, or folders of *.sqlite.", valueName: "shard")) var shards: [String]

    func run() async throws {
        print(try ResultStore.merge(shardsIn: shards, into: db))
    }
}
