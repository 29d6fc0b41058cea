import Foundation
import JSON

/// What a checkpoint records about the training run at its step (`trainer_state.json`).
public struct TrainerState: Sendable, Equatable, Codable {
    public var step: Int
    public var loss: Double
    public var lr: Double
    public var tokensSeen: Int
    public var gradNorm: Double
    public var seed: UInt64
    public var dataSeed: UInt64

    enum CodingKeys: String, CodingKey {
        case step, loss, lr, seed
        case tokensSeen = "tokens_seen", gradNorm = "grad_norm", dataSeed = "data_seed"
    }
}

/// Writes `checkpoint-<step>/` folders in Hugging Face `LlamaForCausalLM` layout. Every folder is assembled under a
/// hidden temporary name and renamed into place, so a folder named `checkpoint-<step>` is always complete.
public struct CheckpointWriter: Sendable {
    public let outputDirectory: String
    /// Files copied into every checkpoint (tokenizer.json, tokenizer_config.json, special_tokens_map.json).
    public let tokenizerFiles: [String]
    /// Files written verbatim into every checkpoint (e.g. a generated tokenizer_config.json), by name.
    public let extraFiles: [String: Data]

    public init(outputDirectory: String, tokenizerFiles: [String], extraFiles: [String: Data] = [:]) {
        self.outputDirectory = outputDirectory; self.tokenizerFiles = tokenizerFiles; self.extraFiles = extraFiles
    }

    public static func folderName(step: Int) -> String { "checkpoint-\(step)" }

    /// Writes the model's current parameters (as BF16) and returns the checkpoint folder's path.
    @discardableResult
    public func write(model: TrainingModel, state: TrainerState) throws -> String {
        let fm = FileManager.default
        let final = URL(fileURLWithPath: outputDirectory).appendingPathComponent(Self.folderName(step: state.step))
        let temp = URL(fileURLWithPath: outputDirectory)
            .appendingPathComponent(".\(Self.folderName(step: state.step)).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        func attempt<T>(_ path: URL, _ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as TinyWorldError { throw e } catch {
                throw TinyWorldError.writeFailed(path: path.path, reason: error.localizedDescription)
            }
        }
        try attempt(temp) {
            try fm.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            if fm.fileExists(atPath: temp.path) { try fm.removeItem(at: temp) }
            try fm.createDirectory(at: temp, withIntermediateDirectories: false)
        }
        do {
            // As transformers' save_pretrained writes them: indent 2, sorted keys, a final newline.
            let config = Data((JSONWriter.string(model.config.hfConfig(), layout: .indented(2), sortKeys: true) + "\n").utf8)
            try attempt(temp) { try config.write(to: temp.appendingPathComponent("config.json")) }
            let generation: JSONValue = ["_from_model_config": true, "bos_token_id": .integer(model.config.bosTokenId),
                                         "eos_token_id": .integer(model.config.eosTokenId),
                                         "transformers_version": "4.43.3"]
            let genData = Data((JSONWriter.string(generation, layout: .indented(2), sortKeys: true) + "\n").utf8)
            try attempt(temp) { try genData.write(to: temp.appendingPathComponent("generation_config.json")) }

            let params = UnsafeBufferPointer(model.params)
            let tensors = model.layout.tensors.map { t in
                (name: t.name, shape: t.shape,
                 values: UnsafeBufferPointer(rebasing: params[t.offset..<(t.offset + t.count)]))
            }
            try writeBF16SafeTensors(path: temp.appendingPathComponent("model.safetensors").path, tensors: tensors,
                                     metadata: ["format": "pt"])

            for file in tokenizerFiles {
                let name = URL(fileURLWithPath: file).lastPathComponent
                try attempt(URL(fileURLWithPath: file)) {
                    try fm.copyItem(atPath: file, toPath: temp.appendingPathComponent(name).path)
                }
            }
            for (name, data) in extraFiles.sorted(by: { $0.key < $1.key }) {
                try attempt(temp) { try data.write(to: temp.appendingPathComponent(name)) }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let stateData = try encoder.encode(state)
            try attempt(temp) { try stateData.write(to: temp.appendingPathComponent("trainer_state.json")) }

            try attempt(final) {
                if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
                try fm.moveItem(at: temp, to: final)
            }
        } catch {
            try? fm.removeItem(at: temp)
            throw error
        }
        return final.path
    }
}
