#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Testing
@testable import TinyWorld

@Suite struct CorpusTests {
    /// The corpus as one string; documents are separated by a character no document contains.
    static let joined = TestSupport.standard.corpus.joined(separator: "\u{1}")
    static let joinedBytes = Array(joined.utf8)

    static let byteCounts: [Int] = {
        var counts = [Int](repeating: 0, count: 256)
        for b in joinedBytes { counts[Int(b)] += 1 }
        return counts
    }()

    /// Byte substring search: memchr for the needle's rarest byte, then memcmp around it. (String.contains over
    /// 2 MB is far too slow for hundreds of needles.)
    static func corpusContains(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let anchor = n.indices.min(by: { byteCounts[Int(n[$0])] < byteCounts[Int(n[$1])] }) else { return true }
        return joinedBytes.withUnsafeBufferPointer { hay in
            n.withUnsafeBufferPointer { nb in
                guard let base = hay.baseAddress, let needleBase = nb.baseAddress else { return false }
                var from = anchor
                while from < hay.count {
                    guard let hit = memchr(base + from, Int32(n[anchor]), hay.count - from) else { return false }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    let start = at - anchor
                    if start + n.count <= hay.count && memcmp(base + start, needleBase, n.count) == 0 { return true }
                    from = at + 1
                }
                return false
            }
        }
    }

    @Test func devAndTestItemsNeverAppearInTheCorpus() {
        for set in TestSupport.standard.evalsets {
            for item in set.dev + set.test {
                #expect(!Self.corpusContains(item.input), "\(set.name): input in corpus: \(item.input)")
                #expect(!Self.corpusContains(PromptFormat.block(item)), "\(set.name): sample in corpus")
            }
        }
    }

    @Test func demonstrationsUseTheExactPromptFormatWithTrainItems() {
        let corpus = TestSupport.standard.corpus
        for set in TestSupport.standard.evalsets {
            let start = PromptFormat.header + "\n\n### 指示:\n" + set.instruction + "\n\n### 入力:\n"
            let demos = corpus.filter { $0.hasPrefix(start) }
            #expect(demos.count == CorpusSize.standard.demonstrationsPerTask, "\(set.name)")
            let trainBlocks = set.train.map(PromptFormat.block)
            for demo in demos.prefix(20) {
                let blocks = demo.components(separatedBy: "\n\n### 入力:\n").dropFirst().map { "### 入力:\n" + $0 }
                #expect(blocks.count == 5)
                #expect(blocks.allSatisfy { trainBlocks.contains($0) }, "\(set.name): demo block not from train")
            }
            // The evaluation's own shots (the first four train items) head most demonstrations.
            let canonical = PromptFormat.prompt(instruction: set.instruction, shots: Array(set.train.prefix(4)), input: "")
                .components(separatedBy: "\n\n### 入力:\n\n\n### 応答:\n")[0]
            #expect(demos.filter { $0.hasPrefix(canonical) }.count > demos.count / 2)
        }
    }

    @Test func factsAreStatedInBothLanguages() {
        let world = TestSupport.standard.world
        for p in world.people {
            #expect(Self.corpusContains("\(p.name.ja)は\(p.city.ja)に住んでいます。"))
            #expect(Self.corpusContains("\(p.name.en) lives in \(p.city.en)."))
        }
        for c in world.countries { #expect(Self.corpusContains("The capital of \(c.name.en) is \(c.capital.en).")) }
    }
}

@Suite struct LeakCheckSelfTest {
    @Test func theSearchFindsWhatIsThereAndNotWhatIsNot() throws {
        let shot = try #require(TestSupport.standard.evalsets.first?.train.first)   // a shot of every demonstration
        #expect(CorpusTests.corpusContains(PromptFormat.header))
        #expect(CorpusTests.corpusContains(PromptFormat.block(shot)))
        #expect(!CorpusTests.corpusContains("この文は絶対にコーパスに無い"))
    }
}
