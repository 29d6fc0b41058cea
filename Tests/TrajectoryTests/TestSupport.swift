import Evaluation
import Foundation
@testable import Trajectory

/// A fresh temporary folder per test; the caller removes it with `defer { dir.cleanup() }` right after creating it.
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
    /// `<repo>/../shared` on CI; from a worktree one level deeper it is found further up.
    static let shared: String = {
        var url = URL(fileURLWithPath: root)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("shared/reference").path
            if FileManager.default.fileExists(atPath: candidate) { return url.appendingPathComponent("shared").path }
        }
        return (root as NSString).appendingPathComponent("../shared")
    }()
}

/// Synthetic predictions for store tests: deterministic in (model, dataset, index).
func syntheticPredictions(model: Int, dataset: String, range: Range<Int>) -> [PredictionRecord] {
    range.map { i in
        let answer = (i + model) % 3 == 0 ? "はい" : "いいえ"
        return PredictionRecord(index: i, promptHash: SHA256.hex("\(dataset)-\(i)"), promptTokens: 40 + i,
                                generated: answer + "\n\n続き", prediction: answer, gold: "はい",
                                metrics: ["exact_match": answer == "はい" ? 1 : 0])
    }
}

/// Writes a minimal checkpoint folder: config.json and a model.safetensors holding one F32 tensor of `floats`
/// values (written by hand here, so the Trajectory tests need no other target).
@discardableResult
func writeFakeCheckpoint(_ folder: String, hidden: Int = 8, floats: Int = 16, seed: Float = 1,
                         extraConfig: [String: Any] = [:]) throws -> String {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var config: [String: Any] = ["hidden_size": hidden, "num_hidden_layers": 1, "model_type": "llama",
                                 "transformers_version": "4.44.0"]
    for (k, v) in extraConfig { config[k] = v }
    try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        .write(to: URL(fileURLWithPath: folder + "/config.json"))
    var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[\(floats)],\"data_offsets\":[0,\(floats * 4)]}}"
    while (header.utf8.count + 8) % 8 != 0 { header += " " }
    var data = Data()
    var length = UInt64(header.utf8.count).littleEndian
    withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
    data.append(Data(header.utf8))
    for i in 0..<floats {
        var v = (seed + Float(i) * 0.5).bitPattern.littleEndian
        withUnsafeBytes(of: &v) { data.append(contentsOf: $0) }
    }
    try data.write(to: URL(fileURLWithPath: folder + "/model.safetensors"))
    return folder
}
