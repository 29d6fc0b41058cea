import Foundation
import JSON
import Linalg

/// What the trainer needs from a tokenizer. Kasane's `Tokenizer` is adapted to it; tests use tiny stand-ins.
public protocol TrainingTokenizer: Sendable {
    /// Token ids of `text` without special tokens (the packer adds BOS and EOS itself).
    func encodePlain(_ text: String) throws -> [Int]
    var trainingVocabSize: Int { get }
    var trainingBOS: Int { get }
    var trainingEOS: Int { get }
}

/// Every document of a corpus as BOS + ids + EOS, stored back to back.
public struct TrainingCorpus: Sendable {
    public let tokens: [Int32]
    public let documentStarts: [Int]      // documentStarts[i]..<documentStarts[i+1] is document i
    public var documentCount: Int { documentStarts.count - 1 }
    public var tokenCount: Int { tokens.count }

    public init(documents: [[Int]]) {
        var flat: [Int32] = []
        var starts = [0]
        flat.reserveCapacity(documents.reduce(0) { $0 + $1.count })
        for d in documents {
            flat.append(contentsOf: d.map { Int32($0) })
            starts.append(flat.count)
        }
        tokens = flat
        documentStarts = starts
    }

    /// Reads JSONL (one `{"text": ...}` per line; blank lines skipped) and tokenizes every document
    /// across `workers` threads, wrapping each as BOS + ids + EOS like LLM-jp pretraining data.
    public static func load(jsonl path: String, tokenizer: some TrainingTokenizer,
                            workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> TrainingCorpus {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TinyWorldError.unreadable(file: path, reason: "no such file")
        }
        var texts: [String] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) {
                continue
            }
            guard let object = try? JSONParser.parse(Array(line), file: path), object.objectValue != nil else {
                throw TinyWorldError.badCorpus(file: path, line: lineNumber, reason: "not a JSON object")
            }
            guard let text = object["text"]?.stringValue else {
                throw TinyWorldError.badCorpus(file: path, line: lineNumber, reason: "no string field \"text\"")
            }
            texts.append(text)
        }
        if texts.isEmpty { throw TinyWorldError.badCorpus(file: path, line: lineNumber, reason: "no documents") }

        let bos = tokenizer.trainingBOS, eos = tokenizer.trainingEOS, vocab = tokenizer.trainingVocabSize
        var results = [Result<[Int], Error>](repeating: .success([]), count: texts.count)
        results.withUnsafeMutableBufferPointer { out in
            let out = out
            parallelChunks(texts.count, workers: workers) { range in
                for i in range {
                    out[i] = Result { [bos] + (try tokenizer.encodePlain(texts[i])) + [eos] }
                }
            }
        }
        var documents: [[Int]] = []
        documents.reserveCapacity(texts.count)
        for (i, r) in results.enumerated() {
            switch r {
            case .success(let ids):
                if let bad = ids.first(where: { $0 < 0 || $0 >= vocab }) {
                    throw TinyWorldError.tokenizer(file: path, reason: "document \(i + 1) gave id \(bad) outside vocab \(vocab)")
                }
                documents.append(ids)
            case .failure(let e):
                throw TinyWorldError.tokenizer(file: path, reason: "document \(i + 1): \(e)")
            }
        }
        return TrainingCorpus(documents: documents)
    }
}

/// Endless, reproducible stream of training batches. Each epoch shuffles the documents (from `dataSeed`), packs them
/// into one token stream, cuts it into sequences of seqLen + 1 tokens that overlap by one (inputs and next-token
/// targets, as Megatron's GPT dataset does), and shuffles the sequences. The order depends only on `dataSeed`.
public struct BatchStream: Sendable {
    public let corpus: TrainingCorpus
    public let seqLen: Int
    public let batch: Int
    public let dataSeed: UInt64
    public private(set) var epoch = 0
    public private(set) var tokensSeen = 0
    private var stream: [Int32] = []
    private var order: [Int] = []
    private var cursor = 0

    public init(corpus: TrainingCorpus, seqLen: Int, batch: Int, dataSeed: UInt64) throws {
        guard corpus.tokenCount >= seqLen + 1 else {
            throw TinyWorldError.badBatch(reason: "corpus has \(corpus.tokenCount) tokens, fewer than seq_len + 1 = \(seqLen + 1)")
        }
        self.corpus = corpus; self.seqLen = seqLen; self.batch = batch; self.dataSeed = dataSeed
        startEpoch(0)
    }

    /// Sequences per epoch.
    public var sequencesPerEpoch: Int { (corpus.tokenCount - 1) / seqLen }

    private mutating func startEpoch(_ e: Int) {
        epoch = e
        var rng = SeededRandom(seed: dataSeed, stream: UInt64(e))
        var docs = Array(0..<corpus.documentCount)
        rng.moduloShuffle(&docs)
        stream.removeAll(keepingCapacity: true)
        stream.reserveCapacity(corpus.tokenCount)
        for d in docs { stream.append(contentsOf: corpus.tokens[corpus.documentStarts[d]..<corpus.documentStarts[d + 1]]) }
        order = Array(0..<sequencesPerEpoch)
        rng.moduloShuffle(&order)
        cursor = 0
    }

    /// The next batch × seqLen inputs and targets (row-major).
    public mutating func next() -> (inputs: [Int], targets: [Int]) {
        var inputs = [Int](), targets = [Int]()
        inputs.reserveCapacity(batch * seqLen); targets.reserveCapacity(batch * seqLen)
        for _ in 0..<batch {
            if cursor == order.count { startEpoch(epoch + 1) }
            let start = order[cursor] * seqLen
            cursor += 1
            for i in 0..<seqLen {
                inputs.append(Int(stream[start + i]))
                targets.append(Int(stream[start + i + 1]))
            }
        }
        tokensSeen += batch * seqLen
        return (inputs, targets)
    }
}
