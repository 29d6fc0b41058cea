import Foundation
import Linalg
import Tokenizers
import TorchCheckpoint

/// Segment scores and their mean, as unbabel-comet's `Prediction.scores` / `system_score`.
public struct CometScores: Sendable, Equatable {
    public let segments: [Double]
    public let system: Double
}

/// A COMET regression metric (Unbabel/wmt22-comet-da and models of its architecture), scored natively.
///
/// The folder is what `comet download` / the Hugging Face repo gives: `hparams.yaml` and `checkpoints/model.ckpt`.
/// The encoder's `tokenizer.json` (and `config.json`) are those of `pretrained_model` (xlm-roberta-large for
/// wmt22), which COMET fetches separately: Kasane looks for them in `encoderFolder`, else in the model folder,
/// else in `<model folder>/<pretrained_model>`. Without config.json, xlm-roberta-large's shape is assumed.
public final class CometModel: @unchecked Sendable {
    public let hparams: CometHParams
    public let config: XLMRConfig
    let tokenizer: Tokenizer
    let encoder: XLMREncoder
    let mix: LayerMix?
    let mixLayer: Int
    let estimator: [Linear]
    let activation: Activation
    let finalActivation: Activation?
    let bosId: Int, eosId: Int

    public init(folder: URL, encoderFolder: URL? = nil) throws {
        hparams = try CometHParams(file: folder.appendingPathComponent("hparams.yaml").path)
        let candidates = [encoderFolder, folder, folder.appendingPathComponent(hparams.pretrainedModel)].compactMap { $0 }
        func find(_ name: String) -> String? {
            candidates.map { $0.appendingPathComponent(name).path }.first { FileManager.default.fileExists(atPath: $0) }
        }
        guard let tokenizerFile = find("tokenizer.json") else {
            throw CometError.missingFile(path: candidates[0].appendingPathComponent("tokenizer.json").path,
                                         hint: "COMET's encoder tokenizer: the tokenizer.json of \(hparams.pretrainedModel)")
        }
        tokenizer = try Tokenizer(file: tokenizerFile)
        config = try find("config.json").map { try XLMRConfig(file: $0) } ?? .xlmRobertaLarge
        guard let bos = tokenizer.id(for: "<s>"), let eos = tokenizer.id(for: "</s>") else {
            throw CometError.badField(file: tokenizerFile, field: "added_tokens", reason: "no <s> or </s>")
        }
        bosId = bos
        eosId = eos

        let ckptPath = folder.appendingPathComponent("checkpoints/model.ckpt").path
        guard FileManager.default.fileExists(atPath: ckptPath) else {
            throw CometError.missingFile(path: ckptPath, hint: "a COMET model folder holds checkpoints/model.ckpt")
        }
        let w = WeightReader(checkpoint: try TorchCheckpoint(path: ckptPath), file: ckptPath)
        encoder = try XLMREncoder(config: config, weights: w, prefix: "encoder.model.")
        guard encoder.vocabSize >= tokenizer.vocabSize else {
            throw CometError.badField(file: tokenizerFile, field: "model.vocab",
                                      reason: "\(tokenizer.vocabSize) pieces but the checkpoint embeds \(encoder.vocabSize)")
        }
        if hparams.layer == "mix" {
            let scalars = try (0...config.layers).map { try w.tensor("layerwise_attention.scalar_parameters.\($0)", shape: [1])[0] }
            let gamma = try w.tensor("layerwise_attention.gamma", shape: [1])[0]
            mix = LayerMix(scalars: scalars, gamma: gamma, sparsemax: hparams.usesSparsemax, layerNorm: hparams.layerNorm)
            mixLayer = -1
        } else {
            guard let l = Int(hparams.layer), l >= 0, l <= config.layers else {
                throw CometError.badField(file: folder.appendingPathComponent("hparams.yaml").path, field: "layer",
                                          reason: "'\(hparams.layer)' is neither mix nor a layer of 0...\(config.layers)")
            }
            mix = nil
            mixLayer = l
        }
        // estimator.ff: Linear, activation, Dropout, ... Linear(…, 1): linear layers at indices 0, 3, 6, ...
        let sizes = [config.hiddenSize * 6] + hparams.hiddenSizes + [1]
        estimator = try (0..<(sizes.count - 1)).map { i in
            try w.linear("estimator.ff.\(3 * i)", inputs: sizes[i], outputs: sizes[i + 1])
        }
        activation = Activation(hparams.activations)!
        finalActivation = hparams.finalActivation.flatMap(Activation.init)
    }

    /// XLM-R ids as COMET tokenizes: `<s> pieces </s>`, truncated to `config.maxTokens` ids.
    public func tokenIds(_ text: String) throws -> [Int] {
        let pieces = try tokenizer.encode(text, addSpecialTokens: false)
        return [bosId] + pieces.prefix(config.maxTokens - 2) + [eosId]
    }

    /// An encoder pass holds up to this many sequences and tokens: the more rows per GEMM, the less often
    /// OpenBLAS re-packs the same weights, while the token bound keeps memory as it was with 32 full-length
    /// sequences.
    static let batchSequences = 128, batchTokens = 16_384

    /// `ids` split into consecutive encoder batches (`batchSequences`, `batchTokens`).
    static func batches(_ ids: [[Int]]) -> [ArraySlice<[Int]>] {
        var out: [ArraySlice<[Int]>] = [], start = 0, tokens = 0
        for (i, sequence) in ids.enumerated() {
            if i > start, i - start == batchSequences || tokens + sequence.count > batchTokens {
                out.append(ids[start..<i])
                start = i
                tokens = 0
            }
            tokens += sequence.count
        }
        if start < ids.count { out.append(ids[start...]) }
        return out
    }

    /// Pooled sentence embeddings (`[hidden]` each): layer mix (or one layer), then the mean over the tokens.
    func sentenceEmbeddings(_ texts: [String]) throws -> [[Float]] {
        let h = config.hiddenSize
        var out: [[Float]] = []
        out.reserveCapacity(texts.count)
        for slice in Self.batches(try texts.map(tokenIds)) {
            let batch = Array(slice)
            var mixed: [Float] = [], starts: [Int] = []
            encoder.forEachHiddenState(batch) { index, state, s in
                starts = s
                if let mix {
                    if mixed.isEmpty { mixed = [Float](repeating: 0, count: state.count) }
                    mix.accumulate(state, index: index, starts: s, into: &mixed)
                } else if index == mixLayer {
                    mixed = state
                }
            }
            for i in 0..<batch.count {
                var pooled = [Float](repeating: 0, count: h)
                for t in starts[i]..<starts[i + 1] { for j in 0..<h { pooled[j] += mixed[t * h + j] } }
                let count = Float(starts[i + 1] - starts[i])
                out.append(pooled.map { $0 / count })
            }
        }
        return out
    }

    /// One score per (source, translation, reference) triple; the system score is their mean.
    public func score(sources: [String], translations: [String], references: [String]) throws -> CometScores {
        // Kasane's pool splits every product (`rowDotGemm`, attention per sequence and head); OpenBLAS's own threads
        // would only wait and contend for each other (half of the CPU time, spinning in exec_blas_async).
        try BLAS.singleThreaded { try scoreOnPool(sources: sources, translations: translations, references: references) }
    }

    private func scoreOnPool(sources: [String], translations: [String], references: [String]) throws -> CometScores {
        guard sources.count == translations.count, translations.count == references.count else {
            throw CometError.badInput("COMET needs as many sources, translations and references (got \(sources.count), \(translations.count), \(references.count))")
        }
        let n = sources.count
        if n == 0 { return CometScores(segments: [], system: 0) }
        // Each distinct text is embedded once (COMET caches embeddings the same way), in a deterministic order.
        let distinct = Array(Set(sources + translations + references)).sorted { ($0.utf8.count, $0) < ($1.utf8.count, $1) }
        let cache = Dictionary(uniqueKeysWithValues: zip(distinct, try sentenceEmbeddings(distinct)))
        let h = config.hiddenSize
        var features = [Float](repeating: 0, count: n * 6 * h)
        for i in 0..<n {
            let src = cache[sources[i]]!, mt = cache[translations[i]]!, ref = cache[references[i]]!
            let base = i * 6 * h
            for j in 0..<h {
                features[base + j] = mt[j]
                features[base + h + j] = ref[j]
                features[base + 2 * h + j] = mt[j] * ref[j]
                features[base + 3 * h + j] = abs(mt[j] - ref[j])
                features[base + 4 * h + j] = mt[j] * src[j]
                features[base + 5 * h + j] = abs(mt[j] - src[j])
            }
        }
        var x = features
        for (i, layer) in estimator.enumerated() {
            x = layer.apply(x, rows: n)
            if i < estimator.count - 1 { activation.apply(&x) } else { finalActivation?.apply(&x) }
        }
        let segments = x.map(Double.init)
        return CometScores(segments: segments, system: segments.reduce(0, +) / Double(n))
    }
}
