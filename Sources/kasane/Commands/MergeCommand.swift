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
        var files: [String] = []
        for path in shards {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TrajectoryError.missingFile(path: path, what: "shard store")
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.filter { $0.hasSuffix(".sqlite") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        if files.isEmpty { print("merge: no shard stores in \(shards.joined(separator: " ")); nothing to do"); return }
        let summary = try ResultStore(path: db).merge(shards: files)
        let added = summary.inserted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("merged \(summary.shards) shard\(summary.shards == 1 ? "" : "s") into \(db): "
              + (added.isEmpty ? "nothing new" : added) + " (\(summary.identical) rows already there)")
    }
}
