import Foundation
@testable import TinyWorld

enum TestSupport {
    /// The folder holding Package.swift.
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shared data folder beside the clone (CI lays it at <repo>/../shared; worktrees sit one level deeper).
    static let sharedRoot: String = {
        let candidates = [repoRoot + "/../shared", repoRoot + "/../../shared"]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/specs") } ?? candidates[0]
    }()

    /// The standard world, built once for all tests.
    static let standard: WorldBuild = {
        do { return try WorldGenerator.build() } catch { fatalError("tiny world does not build: \(error)") }
    }()

    /// A fresh empty folder; the caller removes it (a `defer` right after this call).
    static func temporaryDirectory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "tinyworld-\(label)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
