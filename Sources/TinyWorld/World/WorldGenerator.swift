import Foundation
import Linalg

/// Everything `kasane world` produces for one seed.
public struct WorldBuild: Sendable {
    public let world: World
    public let evalsets: [Evalset]
    public let corpus: [String]
}

/// Builds the world, its nine evalsets and the corpus from one seed. The same seed gives byte-identical output.
public enum WorldGenerator {
    public static let defaultSeed: UInt64 = 20_251_006

    public static let standardSizes = SplitSizes(train: 120, dev: 50, test: 50)
    /// QA has one item per fact (112 facts), so its splits are smaller.
    public static let qaSizes = SplitSizes(train: 40, dev: 36, test: 36)

    public static func evalsets(world: World) throws -> [Evalset] {
        var rng = SeededRandom(seed: world.seed, stream: "evalsets")
        let s = standardSizes
        var nli = rng.fork("nli"), qa = rng.fork("qa"), rc = rng.fork("rc"), mc = rng.fork("mc"), el = rng.fork("el")
        var fa = rng.fork("fa"), mr = rng.fork("mr"), mt = rng.fork("mt"), he = rng.fork("he")
        return [
            try ContextTasks.nli(world: world, rng: &nli, sizes: s),
            try KnowledgeTasks.qa(world: world, rng: &qa, sizes: qaSizes),
            try ContextTasks.rc(world: world, rng: &rc, sizes: s),
            try KnowledgeTasks.mc(world: world, rng: &mc, sizes: s),
            try ContextTasks.el(world: world, rng: &el, sizes: s),
            try ContextTasks.fa(world: world, rng: &fa, sizes: s),
            try ReasoningTasks.mr(world: world, rng: &mr, sizes: s),
            try ReasoningTasks.mt(world: world, rng: &mt, sizes: s),
            try KnowledgeTasks.he(world: world, rng: &he, sizes: s),
        ]
    }

    public static func build(seed: UInt64 = defaultSeed, corpusSize: CorpusSize = .standard) throws -> WorldBuild {
        let world = World(seed: seed)
        let sets = try evalsets(world: world)
        var rng = SeededRandom(seed: seed, stream: "corpus")
        let corpus = CorpusGenerator.documents(world: world, evalsets: sets, size: corpusSize, rng: &rng)
        return WorldBuild(world: world, evalsets: sets, corpus: corpus)
    }

    /// Writes `DIR/evaluation/{train,dev,test}/<name>.json` in llm-jp-eval v1.4.1 layout.
    public static func writeEvalsets(_ sets: [Evalset], to directory: String) throws {
        for split in Evalset.splitNames {
            let dir = directory + "/evaluation/" + split
            try makeDirectory(dir)
            for set in sets {
                let text = EvalsetJSON.evaluationFile(instruction: set.instruction, outputLength: set.outputLength,
                                                   metrics: set.metrics, samples: set.items(split: split))
                try write(text, to: dir + "/" + set.name + ".json")
            }
        }
    }

    /// Writes `corpus.jsonl`, one `{"text": ...}` per document.
    public static func writeCorpus(_ docs: [String], to path: String) throws {
        try write(docs.map(EvalsetJSON.corpusLine).joined(separator: "\n") + "\n", to: path)
    }

    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw TinyWorldError.writeFailed(path: path, reason: "\(error.localizedDescription)")
        }
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TinyWorldError.writeFailed(path: path, reason: "\(error.localizedDescription)")
        }
    }
}
