import Foundation
import Testing
@testable import Llama

/// Generated ids' log-probs and teacher-forced continuation log-probs against transformers (Fixtures/logprobs.json,
/// written by tools/make_logprob_fixtures.py), batched and through a prefix cache as the evaluator runs them.
@Suite struct LogprobGoldenTests {
    struct Golden: Decodable {
        struct Case: Decodable {
            let prompt: [Int]
            let continuation: [Int]
            let continuation_logprobs: [Double]
            let continuation_logprob: Double
            let generated: [Int]
            let generated_logprobs: [Double]
            let generated_logprob: Double
        }
        struct Model: Decodable {
            let model: String
            let max_new_tokens: Int
            let shared_prefix: [Int]
            let cases: [Case]
        }
        let models: [Model]
    }

    static let golden: Golden = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.root + "/logprobs.json"))
        return try! JSONDecoder().decode(Golden.self, from: data)
    }()

    static func close(_ ours: Double, _ theirs: Double) -> Bool { abs(ours - theirs) <= 1e-4 * (1 + abs(theirs)) }

    static func closeAll(_ ours: [Double]?, _ theirs: [Double]) -> Bool {
        guard let ours, ours.count == theirs.count else { return false }
        return zip(ours, theirs).allSatisfy { close($0, $1) }
    }

    @Test(arguments: golden.models.map(\.model))
    func logprobsMatchTransformers(model name: String) throws {
        let spec = try #require(Self.golden.models.first { $0.model == name })
        let model = try Fixtures.model(name)
        let prefix = try PrefixCache(model: model, tokens: spec.shared_prefix)
        let requests = spec.cases.map {
            GreedyRequest(prompt: $0.prompt, maxNewTokens: spec.max_new_tokens, continuation: $0.continuation)
        }
        var stats = GenerationStats()
        let out = try model.generateGreedy(requests, prefix: prefix, eosTokenIds: Set(model.config.eosTokenIds),
                                           logprobs: true, stats: &stats, shouldStop: { _, _ in false })
        #expect(stats.reusedPrefixTokens > 0 && stats.scoredTokens > 0)
        for (i, c) in spec.cases.enumerated() {
            #expect(out[i].tokens == c.generated, "\(name) case \(i)")
            #expect(Self.closeAll(out[i].tokenLogprobs, c.generated_logprobs), "\(name) case \(i): \(out[i].tokenLogprobs ?? [])")
            #expect(Self.closeAll(out[i].continuationLogprobs, c.continuation_logprobs),
                    "\(name) case \(i): \(out[i].continuationLogprobs ?? [])")
            #expect(Self.close(out[i].continuationLogprobs?.reduce(0, +) ?? .nan, c.continuation_logprob))
            #expect(Self.close(out[i].tokenLogprobs?.reduce(0, +) ?? .nan, c.generated_logprob))
        }
        // Scoring never changes what is generated.
        let plain = try model.generateGreedy(requests.map { GreedyRequest(prompt: $0.prompt, maxNewTokens: $0.maxNewTokens) },
                                             prefix: prefix, eosTokenIds: Set(model.config.eosTokenIds),
                                             shouldStop: { _, _ in false })
        #expect(plain == out.map(\.tokens))
    }

    /// A request may only be scored (nothing generated); one without a continuation scores nothing.
    @Test func scoringWithoutGeneration() throws {
        let spec = Self.golden.models[0]
        let model = try Fixtures.model(spec.model)
        let c = spec.cases[2]
        var stats = GenerationStats()
        let out = try model.generateGreedy(
            [GreedyRequest(prompt: c.prompt, maxNewTokens: 0, continuation: c.continuation),
             GreedyRequest(prompt: c.prompt, maxNewTokens: 2)],
            prefix: nil, eosTokenIds: [], logprobs: false, stats: &stats, shouldStop: { _, _ in false })
        #expect(out[0].tokens.isEmpty && out[0].tokenLogprobs == nil)
        #expect(Self.closeAll(out[0].continuationLogprobs, c.continuation_logprobs))
        #expect(out[1].tokens == Array(c.generated.prefix(2)) && out[1].continuationLogprobs == nil)
    }
}
