import Foundation
import JSON
import Testing
import Tokenizers
@testable import Evaluation

/// lm-eval's continuation rule on a real tokenizer, against Hugging Face `tokenizers`
/// (Fixtures/gold_continuations.json, written by tools/make_logprob_fixtures.py).
@Test func goldContinuationFollowsLMEvalsRule() throws {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let golden = try JSONParser.parse(file: here.appendingPathComponent("Fixtures/gold_continuations.json").path)
    let tokenizer = try Tokenizer.load(path: here.appendingPathComponent("../TinyWorldTests/Fixtures/tokenizer.json").path)
    let cases = try #require(golden["cases"]?.arrayValue)
    #expect(cases.count >= 5)
    for c in cases {
        let prompt = try #require(c["prompt"]?.stringValue), gold = try #require(c["gold"]?.stringValue)
        let promptIDs = try tokenizer.encode(prompt, addSpecialTokens: false)
        #expect(promptIDs == c["prompt_ids"]?.arrayValue?.compactMap(\.intValue))
        let continuation = GoldContinuation.tokens(promptIDs: promptIDs,
                                                   whole: try tokenizer.encode(prompt + gold, addSpecialTokens: false))
        #expect(continuation == c["continuation"]?.arrayValue?.compactMap(\.intValue), "\(prompt) + \(gold)")
    }
}
