/// Stops a generation once its decoded text contains "\n\n" (text after it is discarded, so the prediction cannot
/// change), without decoding the whole generation at every step: the whole text is decoded only when the newest
/// token, decoded alone, could have added a newline: it shows one, or a replacement character / nothing (a
/// byte-fallback piece or part of a multi-byte character, whose meaning depends on its neighbours). Any other
/// token appends text without a newline, so the decision is exactly that of decoding the whole generation.
public struct BlockEndCheck<Generator: TextGenerator> {
    let generator: Generator

    public init(generator: Generator) { self.generator = generator }

    public func shouldStop(_ sequence: Int, _ tokens: [Int]) -> Bool {
        guard let last = tokens.last else { return false }
        if tokens.count > 1, let piece = try? generator.decode([last]), !piece.isEmpty,
           !piece.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\u{FFFD}" }) {
            return false
        }
        guard let text = try? generator.decode(tokens) else { return false }
        return PostProcessing.containsBlockEnd(text)
    }
}
