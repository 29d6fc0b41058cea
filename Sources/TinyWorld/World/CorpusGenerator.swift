import Linalg
/// How large the generated corpus is.
public struct CorpusSize: Sendable {
    public var factDocuments: Int          // random mixes of facts, Japanese, English or both
    public var biographyDocuments: Int     // all facts of one person
    public var arithmeticDocuments: Int
    public var demonstrationsPerTask: Int  // 4-shot prompts + answer, built from the train split only
    public init(factDocuments: Int, biographyDocuments: Int, arithmeticDocuments: Int, demonstrationsPerTask: Int) {
        self.factDocuments = factDocuments; self.biographyDocuments = biographyDocuments
        self.arithmeticDocuments = arithmeticDocuments; self.demonstrationsPerTask = demonstrationsPerTask
    }
    public static let standard = CorpusSize(factDocuments: 3000, biographyDocuments: 480,
                                            arithmeticDocuments: 300, demonstrationsPerTask: 400)
}

/// The pretraining corpus: plain fact sentences in both languages and task demonstrations in the exact
/// llm-jp-eval prompt format, whose shots and queries all come from the train splits.
public enum CorpusGenerator {
    public static func documents(world: World, evalsets: [Evalset], size: CorpusSize, rng: inout SeededRandom) -> [String] {
        var docs: [String] = []
        let facts = FactSentences.all(world)
        for _ in 0..<size.factDocuments {
            let chosen = rng.sample(Array(facts.indices), rng.int(in: 4...8)).map { facts[$0] }
            switch rng.below(5) {
            case 0, 1: docs.append(chosen.map { rng.pick($0.ja) }.joined())
            case 2: docs.append(chosen.map { rng.pick($0.en) }.joined(separator: " "))
            default: docs.append(chosen.map { rng.pick($0.ja) + " " + rng.pick($0.en) }.joined(separator: "\n"))
            }
        }
        let personFacts = 4  // FactSentences.all lists each person's four facts first, person by person
        for _ in 0..<size.biographyDocuments {
            let p = rng.below(world.people.count)
            let own = Array(facts[(p * personFacts)..<((p + 1) * personFacts)])
            let ja = rng.shuffled(own).map { rng.pick($0.ja) }.joined()
            let en = rng.shuffled(own).map { rng.pick($0.en) }.joined(separator: " ")
            docs.append(rng.chance(0.5) ? ja + "\n" + en : en + "\n" + ja)
        }
        for _ in 0..<size.arithmeticDocuments {
            docs.append((0..<rng.int(in: 6...12)).map { _ in FactSentences.arithmetic(&rng) }.joined(separator: "\n"))
        }
        for set in evalsets {
            for _ in 0..<size.demonstrationsPerTask { docs.append(demonstration(set, rng: &rng)) }
        }
        rng.shuffle(&docs)
        return docs
    }

    /// Mostly the evaluation's own shots (the first four train samples), sometimes four other train samples,
    /// then a different train sample as the query, with its answer.
    static func demonstration(_ set: Evalset, rng: inout SeededRandom) -> String {
        let train = set.train
        let shots: [EvalItem]
        let queryPool: [EvalItem]
        if rng.chance(0.75) || train.count < 9 {
            shots = Array(train.prefix(4))
            queryPool = Array(train.dropFirst(4))
        } else {
            let picked = rng.sample(Array(train.indices), 5)
            shots = picked.prefix(4).map { train[$0] }
            queryPool = [train[picked[4]]]
        }
        let query = rng.pick(queryPool.isEmpty ? train : queryPool)
        return PromptFormat.prompt(instruction: set.instruction, shots: shots, input: query.input) + query.output
    }
}
