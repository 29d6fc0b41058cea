import Foundation
@testable import Evaluation

/// A deterministic stand-in model: tokens are Unicode scalar values, and the next token is a hash of the whole
/// context picked from a small alphabet (with newlines, so "\n\n" occurs). It records how it was called.
final class FakeGenerator: TextGenerator {
    let alphabet: [Unicode.Scalar] = Array("entailmcorduy 0123\n\n\n".unicodeScalars)
    let eos = 0
    var batchSizes: [Int] = []
    var prefixes: [[Int]] = []
    var maxNewTokensSeen: [Int] = []

    func encode(_ text: String, addBOS: Bool) throws -> [Int] {
        (addBOS ? [1] : []) + text.unicodeScalars.map { Int($0.value) }
    }

    func decode(_ ids: [Int]) throws -> String {
        String(String.UnicodeScalarView(ids.compactMap { $0 > 1 ? Unicode.Scalar(UInt32($0)) : nil }))
    }

    func makePrefix(tokens: [Int]) throws -> [Int] {
        prefixes.append(tokens)
        return tokens
    }

    func generate(prompts: [[Int]], maxNewTokens: Int, prefix: [Int]?,
                  shouldStop: (Int, [Int]) -> Bool) throws -> [[Int]] {
        batchSizes.append(prompts.count)
        maxNewTokensSeen.append(maxNewTokens)
        return prompts.enumerated().map { (i, prompt) in
            var hash: UInt64 = 1469598103934665603
            for t in prompt { hash = (hash ^ UInt64(t)) &* 1099511628211 }
            var out: [Int] = []
            while out.count < maxNewTokens {
                hash = (hash ^ UInt64(out.last ?? 7)) &* 1099511628211
                if hash % 97 == 0 { break }   // EOS
                out.append(Int(alphabet[Int((hash >> 33) % UInt64(alphabet.count))].value))
                if shouldStop(i, out) { break }
            }
            return out
        }
    }
}
