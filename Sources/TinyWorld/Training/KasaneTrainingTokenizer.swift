import Tokenizers

/// Kasane's own `Tokenizer` (tokenizer.json) as the trainer's tokenizer: documents are encoded without special
/// tokens and wrapped in BOS/EOS by the packer, as LLM-jp pretraining data is.
public struct KasaneTrainingTokenizer: TrainingTokenizer {
    public let tokenizer: Tokenizer
    public let trainingBOS: Int
    public let trainingEOS: Int

    public init(path: String) throws {
        do { tokenizer = try Tokenizer.load(path: path) } catch {
            throw TinyWorldError.tokenizer(file: path, reason: "\(error)")
        }
        guard let bos = tokenizer.bosTokenId else { throw TinyWorldError.tokenizer(file: path, reason: "no BOS token") }
        guard let eos = tokenizer.eosTokenId else { throw TinyWorldError.tokenizer(file: path, reason: "no EOS token") }
        trainingBOS = bos
        trainingEOS = eos
    }

    public func encodePlain(_ text: String) throws -> [Int] { try tokenizer.encode(text, addSpecialTokens: false) }
    public var trainingVocabSize: Int { tokenizer.vocabSize }
}
