import Foundation
import Testing
@testable import TinyWorld

@Suite struct EvalsetTests {
    @Test func committedEvalsetsEqualARegeneration() throws {
        let dir = TestSupport.temporaryDirectory("evalsets")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try WorldGenerator.writeEvalsets(TestSupport.standard.evalsets, to: dir)
        let committed = TestSupport.repoRoot + "/evalsets/tiny-world"
        for split in Evalset.splitNames {
            let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/evaluation/" + split).sorted()
            let committedNames = try FileManager.default.contentsOfDirectory(atPath: committed + "/evaluation/" + split)
                .sorted()
            #expect(names == committedNames)
            for name in names {
                let fresh = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/evaluation/\(split)/\(name)"))
                let old = try Data(contentsOf: URL(fileURLWithPath: "\(committed)/evaluation/\(split)/\(name)"))
                #expect(fresh == old, "evalsets/tiny-world/evaluation/\(split)/\(name) differs from `kasane world`")
            }
        }
    }

    @Test func oneDatasetPerCategoryWithItsMetric() {
        let expected = ["NLI": "exact_match", "QA": "char_f1", "RC": "char_f1", "MC": "exact_match",
                        "EL": "set_f1", "FA": "set_f1", "MR": "exact_match", "MT": "bleu_en", "HE": "exact_match"]
        let sets = TestSupport.standard.evalsets
        #expect(Dictionary(uniqueKeysWithValues: sets.map { ($0.category, $0.metrics.first ?? "") }) == expected)
        for set in sets {
            #expect(set.name == "tinyworld_" + set.category.lowercased())
            #expect(set.train.count >= 4 && set.dev.count >= 30 && set.test.count >= 30, "\(set.name) split sizes")
            #expect(set.outputLength >= set.dev.map { $0.output.unicodeScalars.count }.max() ?? 0)
        }
    }

    @Test func splitsNeverShareAnInput() {
        for set in TestSupport.standard.evalsets {
            let train = Set(set.train.map(\.input)), dev = Set(set.dev.map(\.input)), test = Set(set.test.map(\.input))
            #expect(train.isDisjoint(with: dev) && train.isDisjoint(with: test) && dev.isDisjoint(with: test), "\(set.name)")
            #expect(train.count == set.train.count && dev.count == set.dev.count && test.count == set.test.count)
        }
    }

    @Test func labelsAreBalancedForClassificationTasks() {
        let labelSets = ["tinyworld_nli": ["entailment", "contradiction", "neutral"],
                         "tinyworld_mc": ["0", "1", "2"], "tinyworld_he": ["A", "B", "C", "D"]]
        for set in TestSupport.standard.evalsets {
            guard let labels = labelSets[set.name] else { continue }
            for items in [set.train, set.dev, set.test] {
                let counts = Dictionary(grouping: items.map(\.output), by: { $0 }).mapValues(\.count)
                #expect(Set(counts.keys) == Set(labels), "\(set.name) labels")
                let spread = (counts.values.max() ?? 0) - (counts.values.min() ?? 0)
                #expect(spread <= 1, "\(set.name) label counts \(counts)")
            }
        }
    }

    @Test func answersAgreeWithTheWorld() throws {
        let world = TestSupport.standard.world
        let qa = try #require(TestSupport.standard.evalsets.first { $0.name == "tinyworld_qa" })
        for item in qa.train + qa.dev + qa.test {
            let person = world.people.first { item.input.hasPrefix("質問：\($0.name.ja)") }
            if let p = person, item.input.contains("住んで") { #expect(item.output == p.city.ja) }
            if let p = person, item.input.contains("動物") { #expect(item.output == p.animal.name.ja) }
        }
        let mr = try #require(TestSupport.standard.evalsets.first { $0.name == "tinyworld_mr" })
        for item in mr.dev {
            let numbers = item.input.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            #expect(numbers.count == 2)
            let expected = item.input.contains("もらう") ? numbers[0] + numbers[1] : numbers[0] - numbers[1]
            #expect(item.output == String(expected), "\(item.input)")
        }
    }

    @Test func filesAreLlmJpEvalShaped() throws {
        let path = TestSupport.repoRoot + "/evalsets/tiny-world/evaluation/dev/tinyworld_nli.json"
        let object = try TestSupport.json(path)
        #expect(Set(object.keys) == ["instruction", "output_length", "metrics", "few_shots", "samples"])
        #expect((object["few_shots"] as? [Any])?.isEmpty == true)
        let samples = try #require(object["samples"] as? [[String: String]])
        #expect(samples.count == 50 && samples.allSatisfy { Set($0.keys) == ["input", "output"] })
    }

    @Test func sameSeedSameWorldOtherSeedOtherWorld() throws {
        let again = try WorldGenerator.build(seed: WorldGenerator.defaultSeed,
                                             corpusSize: CorpusSize(factDocuments: 50, biographyDocuments: 5,
                                                                    arithmeticDocuments: 5, demonstrationsPerTask: 5))
        #expect(again.evalsets.map(\.dev) == TestSupport.standard.evalsets.map(\.dev))
        let other = try WorldGenerator.build(seed: 7, corpusSize: CorpusSize(factDocuments: 50, biographyDocuments: 5,
                                                                             arithmeticDocuments: 5, demonstrationsPerTask: 5))
        #expect(other.evalsets.map(\.dev) != TestSupport.standard.evalsets.map(\.dev))
        #expect(other.world.people.map(\.city) != TestSupport.standard.world.people.map(\.city))
    }
}
