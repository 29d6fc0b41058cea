import Foundation
import Testing
@testable import TinyWorld

/// `kasane pretrain` end to end on Fixtures/pretrain (tools/make_pretrain_fixture.py): recipe, Kasane tokenizer,
/// packing, training and the checkpoint schedule.
@Suite struct PretrainJobTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pretrain").path

    @Test func recipeScheduleWritesDenseCheckpointsWithTokenizerFiles() throws {
        let out = TestSupport.temporaryDirectory("job")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let job = try PretrainJob(recipePath: Self.fixture + "/recipe.json", overrides: .init(), outputDirectory: out)
        #expect(job.config.vocabSize == 448)          // 413 pieces, rounded up to a multiple of 64
        #expect(job.config.numKVHeads == 2 && job.config.bosTokenId == 1 && job.config.eosTokenId == 2)
        #expect(job.corpus.documentCount == 60)
        let saved = try job.trainer.run()
        #expect(saved.map(\.step) == [10, 20, 24, 26, 28, 30])
        let folders = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(folders == ["checkpoint-10", "checkpoint-20", "checkpoint-24", "checkpoint-26", "checkpoint-28",
                            "checkpoint-30", "train_log.jsonl"])
        let last = out + "/checkpoint-30"
        let files = try FileManager.default.contentsOfDirectory(atPath: last).sorted()
        #expect(files == ["config.json", "generation_config.json", "model.safetensors", "special_tokens_map.json",
                          "tokenizer.json", "tokenizer_config.json", "trainer_state.json"])
        let config = try #require(try JSONSerialization.jsonObject(
            with: try Data(contentsOf: URL(fileURLWithPath: last + "/config.json"))) as? [String: Any])
        #expect(config["vocab_size"] as? Int == 448)
        #expect(config["architectures"] as? [String] == ["LlamaForCausalLM"])
        #expect(config["tie_word_embeddings"] as? Bool == false)
        let state = try JSONDecoder().decode(TrainerState.self,
                                             from: try Data(contentsOf: URL(fileURLWithPath: last + "/trainer_state.json")))
        #expect(state.step == 30 && state.tokensSeen == 30 * 4 * 32 && state.seed == 5 && state.dataSeed == 6)
        #expect(state.loss < log(448.0) - 1, "30 steps on a tiny repetitive corpus should cut the loss")
        let log = try String(contentsOfFile: out + "/train_log.jsonl", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 30)
    }

    @Test func commandLineOverridesReplaceRecipeValues() throws {
        let out = TestSupport.temporaryDirectory("override")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let job = try PretrainJob(recipePath: Self.fixture + "/recipe.json",
                                  overrides: .init(steps: 9, saveEvery: 4, seed: 77, dataSeed: 78), outputDirectory: out)
        #expect(job.recipe.training.seed == 77 && job.recipe.training.dataSeed == 78)
        let saved = try job.trainer.run()
        #expect(saved.map(\.step) == [4, 8, 9])
        #expect(saved.allSatisfy { $0.seed == 77 && $0.dataSeed == 78 })
    }

    /// `kasane pretrain`'s option checks are the job's: a zero override fails as its recipe field, before any
    /// tokenizing, and a zero `--log-every` before the recipe is read.
    @Test func badOverridesAndLogEveryAreRefused() {
        for (overrides, field) in [(PretrainJob.Overrides(steps: 0), "training.steps"),
                                   (PretrainJob.Overrides(saveEvery: 0), "checkpoints.save_every")] {
            do {
                _ = try PretrainJob(recipePath: Self.fixture + "/recipe.json", overrides: overrides,
                                    outputDirectory: "/nonexistent-unused")
                Issue.record("expected an error naming \(field)")
            } catch {
                #expect("\(error)".contains("field '\(field)': must be at least 1 (after command-line overrides)"))
            }
        }
        do {
            try PretrainJob.run(recipePath: "/nonexistent/recipe.json", overrides: .init(),
                                outputDirectory: "/nonexistent-unused", logEvery: 0) { _ in }
            Issue.record("expected an error naming --log-every")
        } catch { #expect("\(error)" == "--log-every must be at least 1") }
    }

    @Test func sameSeedsGiveTheSameRunAndDataSeedChangesIt() throws {
        func losses(dataSeed: UInt64) throws -> [Double] {
            let job = try PretrainJob(recipePath: Self.fixture + "/recipe.json",
                                      overrides: .init(steps: 5, dataSeed: dataSeed), outputDirectory: "/nonexistent-unused")
            var out: [Double] = []
            for _ in 0..<5 { out.append(try job.trainer.trainStep().loss) }
            return out
        }
        let a = try losses(dataSeed: 1), b = try losses(dataSeed: 1), c = try losses(dataSeed: 2)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(zip(a, c).contains { abs($0 - $1) > 1e-3 })
    }

    @Test func badRecipesNameTheField() throws {
        let dir = TestSupport.temporaryDirectory("badrecipe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try #require(try JSONSerialization.jsonObject(
            with: try Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/recipe.json"))) as? [String: Any])
        func expectError(_ edit: (inout [String: Any]) -> Void, field: String) throws {
            var r = good
            edit(&r)
            let path = dir + "/r.json"
            try JSONSerialization.data(withJSONObject: r).write(to: URL(fileURLWithPath: path))
            do {
                _ = try TrainingRecipe.load(path: path)
                Issue.record("expected an error naming \(field)")
            } catch let e as TinyWorldError {
                #expect(e.description.contains(field), "\(e.description)")
            }
        }
        try expectError({ r in var t = r["training"] as! [String: Any]; t["lrr"] = 1; r["training"] = t }, field: "training.lrr")
        try expectError({ r in var t = r["training"] as! [String: Any]; t["steps"] = 0; r["training"] = t }, field: "training.steps")
        try expectError({ r in var t = r["training"] as! [String: Any]; t["schedule"] = "linear"; r["training"] = t }, field: "training.schedule")
        try expectError({ r in var m = r["model"] as! [String: Any]; m.removeValue(forKey: "hidden_size"); r["model"] = m }, field: "model.hidden_size")
        try expectError({ r in var c = r["checkpoints"] as! [String: Any]; c.removeValue(forKey: "dense_every"); r["checkpoints"] = c }, field: "checkpoints.dense_every")
        try expectError({ r in var d = r["data"] as! [String: Any]; d["seq_len"] = "long"; r["data"] = d }, field: "data.seq_len")
        do {
            _ = try TrainingRecipe.load(path: dir + "/missing.json")
            Issue.record("expected an error for a missing file")
        } catch let e as TinyWorldError { #expect(e.description.contains("missing.json")) }
    }
}
