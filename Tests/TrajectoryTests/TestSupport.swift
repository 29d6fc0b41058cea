import Foundation
@testable import Trajectory

/// A fresh temporary folder per test, removed by the caller with `cleanup()`.
struct TempDir {
    let path: String
    init(_ label: String = "kasane-test") throws {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// The repository root (the folder holding Package.swift) and the shared data beside it.
enum Repo {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url = url.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()
    static var shared: String { (root as NSString).appendingPathComponent("../shared") }
}

/// Synthetic predictions for store tests: deterministic in (model, dataset, index).
func syntheticPredictions(model: Int, dataset: String, range: Range<Int>) -> [StoredPrediction] {
    range.map { i in
        let answer = (i + model) % 3 == 0 ? "はい" : "いいえ"
        return StoredPrediction(index: i, promptHash: SHA256.hex("\(dataset)-\(i)"), promptTokens: 40 + i,
                                generated: answer + "\n\n続き", prediction: answer, gold: "はい",
                                metrics: ["exact_match": answer == "はい" ? 1 : 0])
    }
}
