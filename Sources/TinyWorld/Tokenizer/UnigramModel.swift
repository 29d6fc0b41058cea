/// A trained Unigram vocabulary in LLM-jp v3 layout: ids 0–7 special tokens, 8–263 the byte pieces
/// `<0x00>`…`<0xFF>`, 264–279 runs of `▁` (16 down to 1), then the learned pieces by decreasing score.
public struct UnigramModel: Sendable {
    public struct Piece: Sendable, Equatable {
        public let text: String
        public let score: Double
    }

    public static let specialTokens = ["<unk>", "<s>", "</s>", "<MASK>", "<PAD>", "<CLS>", "<SEP>", "<EOD>"]
    public static let controlScore = -127.5
    public static let firstBytePiece = 8
    public static let firstSpaceRun = 264
    public static let firstLearnedPiece = 280

    public let pieces: [Piece]

    public init(learned: [(String, Double)]) {
        var all = UnigramModel.specialTokens.map { Piece(text: $0, score: UnigramModel.controlScore) }
        for b in 0..<256 { all.append(Piece(text: UnigramModel.bytePiece(UInt8(b)), score: UnigramModel.controlScore)) }
        // Same scores as LLM-jp v3: '▁'×16 = -127.5 … '▁▁' = -22.5, '▁' = -15.0.
        for run in stride(from: 16, through: 1, by: -1) {
            all.append(Piece(text: String(repeating: "▁", count: run), score: -15.0 - 7.5 * Double(run - 1)))
        }
        all += learned.map { Piece(text: $0.0, score: $0.1) }
        pieces = all
    }

    public static func bytePiece(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }
}
