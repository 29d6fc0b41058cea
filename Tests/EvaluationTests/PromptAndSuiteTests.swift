import Foundation
import Testing
@testable import Evaluation

/// Prompts rendered from evalsets-real against the reference renderer in tools/make_eval_fixtures.py.
struct PromptAndSuiteTests {
    @Test func defaultPromptsMatchReference() throws {
        guard let root = TestPaths.evalsetsReal else { Issue.record("shared/evalsets-real not found"); return }
        let cases = try TestPaths.fixture("prompts.json")["default"] as? [[String: Any]] ?? []
        #expect(cases.count == 48)
        for shots in [4, 0] {
            var options = EvalOptions()
            options.shots = shots
            let suite = try loadEvalSuite(root: root, options: options)
            #expect(suite.count == 8)
            for c in cases where (c["shots"] as? Int) == shots {
                let name = c["dataset"] as? String ?? "", index = c["index"] as? Int ?? -1
                let dataset = try #require(suite.first { $0.name == name })
                let prompt = PromptBuilder(instruction: dataset.instruction, shots: dataset.shots)
                    .render(input: dataset.samples[index].input)
                #expect(PythonText.equal(prompt, c["prompt"] as? String ?? ""), "\(name)[\(index)] shots=\(shots)")
            }
        }
    }

    @Test func customTemplatesMatchReference() throws {
        guard let root = TestPaths.evalsetsReal else { Issue.record("shared/evalsets-real not found"); return }
        let custom = try TestPaths.fixture("prompts.json")["custom"] as? [String: Any] ?? [:]
        for c in custom["cases"] as? [[String: Any]] ?? [] {
            var options = EvalOptions()
            options.datasets = ["jsquad"]
            options.shots = c["shots"] as? Int ?? 0
            options.customPromptTemplate = c["template"] as? String
            options.customFewshotsTemplate = c["fewshots_template"] as? String
            let dataset = try #require(try loadEvalSuite(root: root, options: options).first)
            let builder = try PromptBuilder(dataset: dataset, options: options)
            let prompt = builder.render(input: dataset.samples[0].input)
            #expect(PythonText.equal(prompt, c["prompt"] as? String ?? ""), "template \(options.customPromptTemplate ?? "")")
            #expect(prompt.hasPrefix(builder.prefix))
        }
    }

    @Test func templateErrorsNameTheOption() {
        #expect(throws: EvaluationError.template(field: "custom_prompt_template", detail: "unknown placeholder '{braces}'")) {
            _ = try PromptBuilder(instruction: "i", shots: [], customTemplate: "{instruction} {{braces}} {input}", customFewshotsTemplate: nil)
        }
        #expect(throws: EvaluationError.self) {
            _ = try PromptBuilder(instruction: "i", shots: [], customTemplate: "{instruction} } {input}", customFewshotsTemplate: nil)
        }
    }

    @Test func defaultsFollowV141() throws {
        guard let root = TestPaths.evalsetsReal else { Issue.record("shared/evalsets-real not found"); return }
        let suite = try loadEvalSuite(root: root, options: EvalOptions())
        for d in suite {
            #expect(d.samples.count == 100)
            #expect(d.shots.count == 4)
            #expect(d.contentHash.count == 64)
        }
        // The version folder form and the evaluation folder itself are both accepted.
        let viaVersion = try loadEvalSuite(root: root + "/1.4.1", options: EvalOptions())
        #expect(viaVersion.map(\.name) == suite.map(\.name))
        let viaEvaluation = try loadEvalSuite(root: root + "/1.4.1/evaluation", options: EvalOptions())
        #expect(viaEvaluation.map(\.name) == suite.map(\.name))
        // jamp's dev file is the official v1.4.1 file cut to 200 samples, so its hash is not the official one;
        // jsts's first sample is known from the README.
        let jsts = try #require(suite.first { $0.name == "jsts" })
        #expect(jsts.samples[0].output == "3.4")
    }

    @Test func selectionOptions() throws {
        guard let root = TestPaths.evalsetsReal else { Issue.record("shared/evalsets-real not found"); return }
        var options = EvalOptions()
        options.categories = ["NLI"]
        #expect(try loadEvalSuite(root: root, options: options).map(\.name) == ["jamp", "janli", "jnli", "jsem", "jsick"])
        options.categories = ["MC", "RC"]
        options.maxSamples = 7
        options.shots = 2
        options.split = "test"
        let s = try loadEvalSuite(root: root, options: options)
        #expect(s.map(\.name) == ["jcommonsenseqa", "jsquad"])
        #expect(s.allSatisfy { $0.samples.count == 7 && $0.shots.count == 2 })
        options = EvalOptions()
        options.maxSamples = -1
        options.datasets = ["jsts"]
        #expect(try loadEvalSuite(root: root, options: options).first?.samples.count == 200)
        options.datasets = ["nope"]
        #expect(throws: EvaluationError.self) { _ = try loadEvalSuite(root: root, options: options) }
        options.datasets = nil
        options.categories = ["XYZ"]
        #expect(throws: EvaluationError.unknownCategory(name: "XYZ")) { _ = try loadEvalSuite(root: root, options: options) }
    }

    /// `--shots` and `--batch-size` are checked by the options themselves, first thing when the suite loads (so
    /// before any model): even an evalsets root that does not exist is not looked at.
    @Test func optionsNoEvaluationCanRunWithAreRefusedFirst() {
        var options = EvalOptions()
        options.batchSize = 0
        let batch = EvaluationError.invalidValue(path: "--batch-size", field: "batch_size", detail: "must be ≥ 1 (found 0)")
        #expect(throws: batch) { try options.validate() }
        #expect(throws: batch) { _ = try loadEvalSuite(root: "/nonexistent", options: options) }
        options = EvalOptions()
        options.shots = -1
        #expect(throws: EvaluationError.invalidValue(path: "--shots", field: "shots", detail: "must be ≥ 0 (found -1)")) {
            _ = try loadEvalSuite(root: "/nonexistent", options: options)
        }
        #expect(throws: Never.self) { try EvalOptions().validate() }
    }
}
