import Foundation

/// Locations of fixtures and shared data, found from this file's path.
enum TestPaths {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }()

    static let fixtures = repoRoot + "/Tests/EvaluationTests/Fixtures"

    /// `<repo>/../shared` on CI; a worktree one level deeper finds it further up.
    static let shared: String? = {
        var url = URL(fileURLWithPath: repoRoot)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("shared/evalsets-real").path
            if FileManager.default.fileExists(atPath: candidate) { return url.appendingPathComponent("shared").path }
        }
        return nil
    }()

    static var evalsetsReal: String? { shared.map { $0 + "/evalsets-real" } }
    static var llmJpTokenizer: String? { shared.map { $0 + "/reference/tokenizers/llm-jp-v3/tokenizer.json" } }

    static func fixture(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw FixtureError.malformed(name)
        }
        return object
    }

    /// The fixture's cases, which must number `count`: a truncated or emptied fixture fails instead of making the
    /// loop over its cases pass vacuously.
    static func cases(_ name: String, key: String = "cases", count: Int) throws -> [[String: Any]] {
        guard let cases = try fixture(name)[key] as? [[String: Any]] else { throw FixtureError.malformed(name) }
        guard cases.count == count else { throw FixtureError.malformed("\(name) \(key): \(cases.count) cases, expected \(count)") }
        return cases
    }

    /// A fresh temporary folder; the caller removes it (a `defer` right after this call).
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "kasane-eval-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

enum FixtureError: Error { case malformed(String) }
