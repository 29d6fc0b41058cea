import Foundation
import SafeTensors

/// Tiny random LLaMA checkpoints for end-to-end tests of `kasane eval --checkpoints` (weights from a seeded
/// generator, written through SafeTensorsWriter; the tokenizer is the shared spm-bpe one, vocab 5,999).
enum TinyCheckpoints {
    static let tokenizer = (Repo.shared as NSString).appendingPathComponent("reference/tokenizers/spm-bpe/tokenizer.json")
    static let evalsets = (Repo.shared as NSString).appendingPathComponent("evalsets-real")

    static func write(_ folder: String, seed: UInt64, hidden: Int = 64, layers: Int = 2, heads: Int = 4,
                      kvHeads: Int = 2, intermediate: Int = 128, vocab: Int = 6000) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config: [String: Any] = [
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": hidden,
            "intermediate_size": intermediate, "num_hidden_layers": layers, "num_attention_heads": heads,
            "num_key_value_heads": kvHeads, "vocab_size": vocab, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
            "max_position_embeddings": 4096, "tie_word_embeddings": false, "bos_token_id": 1, "eos_token_id": 2,
            "hidden_act": "silu", "torch_dtype": "float32",
        ]
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .prettyPrinted])
            .write(to: URL(fileURLWithPath: folder + "/config.json"))
        let headDim = hidden / heads
        var shapes: [(String, [Int])] = [("model.embed_tokens.weight", [vocab, hidden])]
        for l in 0..<layers {
            let p = "model.layers.\(l)."
            shapes += [(p + "input_layernorm.weight", [hidden]),
                       (p + "self_attn.q_proj.weight", [heads * headDim, hidden]),
                       (p + "self_attn.k_proj.weight", [kvHeads * headDim, hidden]),
                       (p + "self_attn.v_proj.weight", [kvHeads * headDim, hidden]),
                       (p + "self_attn.o_proj.weight", [hidden, heads * headDim]),
                       (p + "post_attention_layernorm.weight", [hidden]),
                       (p + "mlp.gate_proj.weight", [intermediate, hidden]),
                       (p + "mlp.up_proj.weight", [intermediate, hidden]),
                       (p + "mlp.down_proj.weight", [hidden, intermediate])]
        }
        shapes += [("model.norm.weight", [hidden]), ("lm_head.weight", [vocab, hidden])]
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> Float {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(Double(state >> 11) / Double(1 << 53) * 2 - 1) * 0.08
        }
        var tensors: [(info: TensorInfo, values: [Float])] = []
        for (name, shape) in shapes {
            let count = shape.reduce(1, *)
            let values = name.hasSuffix("norm.weight") ? [Float](repeating: 1, count: count) : (0..<count).map { _ in next() }
            tensors.append((TensorInfo(name: name, dtype: .f32, shape: shape), values))
        }
        try SafeTensorsWriter.write(path: folder + "/model.safetensors", tensors: tensors, metadata: ["format": "pt"])
        try? FileManager.default.copyItem(atPath: tokenizer, toPath: folder + "/tokenizer.json")
    }
}
