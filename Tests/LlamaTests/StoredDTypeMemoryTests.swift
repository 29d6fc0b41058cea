import Foundation
import Linalg
import SafeTensors
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Peak memory of a BF16 checkpoint's forward pass, measured by the OS in a child process (`kasane forward`), so the
/// test process's own memory does not count: the weights stay in BF16 (mapped), so the peak stays well under the
/// fp32 size.
@Suite struct StoredDTypeMemoryTests {
    /// 8 layers, hidden 1024, ffn 4096, vocab 8192 untied: 143M parameters, 573 MB as fp32, 287 MB as BF16.
    static let config = (layers: 8, hidden: 1024, ffn: 4096, heads: 8, vocab: 8192)

    @Test func bf16PeakRSSStaysUnderTwoThirdsOfFP32() throws {
        let kasane = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("kasane").path
        guard FileManager.default.isExecutableFile(atPath: kasane) else {
            Issue.record("\(kasane) not found: build it with the tests (swift build --build-tests builds every product)")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kasane-rss-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let parameters = try Self.writeCheckpoint(dir)
        let fp32Bytes = 4 * parameters

        let peak = try Self.peakRSSOfChild([kasane, "forward", "--model", dir, "--ids", "1,2,3",
                                            "--output", dir + "/logits.json"])
        let ratio = Double(peak) / Double(fp32Bytes)
        #expect(ratio <= 0.65, "peak RSS \(peak / 1_000_000) MB = \(ratio)× the fp32 weight bytes \(fp32Bytes / 1_000_000) MB")
        let logits = try String(contentsOfFile: dir + "/logits.json", encoding: .utf8)
        #expect(logits.hasPrefix("{\"logits\":[["))
    }

    /// Writes config.json and a BF16 model.safetensors with deterministic pseudo-random values; returns the
    /// parameter count.
    static func writeCheckpoint(_ dir: String) throws -> Int {
        let c = config
        let configJSON = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": \(c.hidden),
         "intermediate_size": \(c.ffn), "num_hidden_layers": \(c.layers), "num_attention_heads": \(c.heads),
         "num_key_value_heads": \(c.heads), "vocab_size": \(c.vocab), "max_position_embeddings": 64,
         "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": false, "hidden_act": "silu",
         "bos_token_id": 1, "eos_token_id": 2}
        """
        try configJSON.write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        var shapes: [(String, [Int])] = [("model.embed_tokens.weight", [c.vocab, c.hidden]),
                                         ("model.norm.weight", [c.hidden]), ("lm_head.weight", [c.vocab, c.hidden])]
        for i in 0..<c.layers {
            let p = "model.layers.\(i)."
            shapes += [(p + "input_layernorm.weight", [c.hidden]), (p + "post_attention_layernorm.weight", [c.hidden])]
            for name in ["q_proj", "k_proj", "v_proj", "o_proj"] { shapes.append((p + "self_attn.\(name).weight", [c.hidden, c.hidden])) }
            shapes += [(p + "mlp.gate_proj.weight", [c.ffn, c.hidden]), (p + "mlp.up_proj.weight", [c.ffn, c.hidden]),
                       (p + "mlp.down_proj.weight", [c.hidden, c.ffn])]
        }
        let infos = shapes.map { TensorInfo(name: $0.0, dtype: .bf16, shape: $0.1) }
        var writer = try SafeTensorsWriter(path: dir + "/model.safetensors", tensors: infos, metadata: ["format": "pt"])
        var rng = SeededRandom(seed: 7)
        for info in infos {
            let values: [Float] = info.shape.count == 1
                ? [Float](repeating: 1, count: info.count)
                : (0..<info.count).map { _ in Float(Int64(bitPattern: rng.next()) >> 40) * 0x1p-29 }  // ±0.03
            try writer.append(info.name, floats: values)
        }
        try writer.finish()
        return infos.reduce(0) { $0 + $1.count }
    }

    /// Runs `argv` and returns the child's peak resident set (bytes) as the kernel accounts it (wait4's rusage).
    static func peakRSSOfChild(_ argv: [String]) throws -> Int {
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], nil, nil, &cArgs, environ)
        guard spawned == 0 else { throw POSIXError(.init(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { throw POSIXError(.ECHILD) }
        #expect(status == 0, "\(argv.joined(separator: " ")) exited with status \(status)")
        return usage.ru_maxrss * 1024  // kilobytes on Linux
    }
}
