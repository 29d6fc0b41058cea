import Foundation
import JSON

/// A Hugging Face `tokenizer.json` tokenizer that reproduces the tokenizers library's ids exactly.
/// Pipeline: added tokens -> normalizer -> added (normalized) tokens -> pre-tokenizer -> model -> post-processor.
public final class Tokenizer: @unchecked Sendable {
    enum Model: Sendable {
        case unigram(UnigramModel)
        case bpe(BPEModel)
    }

    let model: Model
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer?
    let postProcessor: PostProcessor?
    let decoder: Decoder?
    private let rawMatcher: AddedTokenMatcher
    private let normalizedMatcher: AddedTokenMatcher
    private var addedById: [Int: String] = [:]
    private var addedByContent: [String: Int] = [:]
    private var specialContents: Set<String> = []
    private var modelVocabSize = 0

    public private(set) var vocabSize: Int = 0
    public private(set) var bosTokenId: Int?
    public private(set) var eosTokenId: Int?
    /// `add_bos_token` from tokenizer_config.json, when present.
    public private(set) var addBosToken: Bool?

    // MARK: loading

    /// Loads a `tokenizer.json`, or a folder holding one plus `tokenizer_config.json` / `special_tokens_map.json`.
    public static func load(path: String) throws -> Tokenizer {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw TokenizerError.io(path: path, reason: "no such file or folder")
        }
        if !isDir.boolValue { return try Tokenizer(file: path) }
        let folder = URL(fileURLWithPath: path)
        let file = folder.appendingPathComponent("tokenizer.json").path
        guard FileManager.default.fileExists(atPath: file) else {
            throw TokenizerError.io(path: file, reason: "no tokenizer.json in the folder")
        }
        let tokenizer = try Tokenizer(file: file)
        try tokenizer.applyConfig(folder: folder)
        return tokenizer
    }

    public convenience init(file: String) throws {
        try self.init(json: try TokenizerError.readJSON(file: file), file: file)
    }

    public init(json: JSONValue, file: String = "tokenizer.json") throws {
        guard case .object = json else { throw TokenizerError.badField(file: file, field: "(top level)", reason: "not an object") }
        if let v = json["version"]?.stringValue, v != "1.0" {
            throw TokenizerError.badField(file: file, field: "version", reason: "unknown tokenizer version '\(v)'")
        }
        if let t = json["truncation"], !t.isNull {
            throw TokenizerError.unsupported(file: file, component: "truncation", type: "enabled")
        }
        guard let modelJSON = json["model"] else { throw TokenizerError.missingField(file: file, field: "model") }
        let modelType = modelJSON["type"]?.stringValue ?? (modelJSON["merges"] != nil ? "BPE" : "")
        switch modelType {
        case "Unigram":
            let m = try UnigramModel(json: modelJSON, file: file)
            model = .unigram(m)
            modelVocabSize = m.pieces.count
        case "BPE":
            let m = try BPEModel(json: modelJSON, file: file)
            model = .bpe(m)
            modelVocabSize = (m.idToToken.keys.max() ?? -1) + 1
        default:
            throw TokenizerError.unsupported(file: file, component: "model", type: modelType)
        }
        func optional<T>(_ key: String, _ parse: (JSONValue, String) throws -> T) throws -> T? {
            guard let v = json[key], !v.isNull else { return nil }
            return try parse(v, file)
        }
        normalizer = try optional("normalizer", Normalizer.parse)
        preTokenizer = try optional("pre_tokenizer", PreTokenizer.parse)
        postProcessor = try optional("post_processor", PostProcessor.parse)
        decoder = try optional("decoder", Decoder.parse)

        var raw: [AddedToken] = [], normalized: [AddedToken] = []
        for (i, entry) in (json["added_tokens"]?.arrayValue ?? []).enumerated() {
            guard let content = entry["content"]?.stringValue, let jsonId = entry["id"]?.intValue else {
                throw TokenizerError.badField(file: file, field: "added_tokens[\(i)]", reason: "needs id and content")
            }
            if content.isEmpty { continue }
            let special = entry["special"]?.boolValue ?? false
            // As tokenizers' add_tokens: a content the model already knows keeps the model's id.
            let id = addedByContent[content] ?? Self.modelId(model, content) ?? jsonId
            var token = AddedToken(id: id, content: content, bytes: Array(content.utf8),
                                   singleWord: entry["single_word"]?.boolValue ?? false,
                                   lstrip: entry["lstrip"]?.boolValue ?? false, rstrip: entry["rstrip"]?.boolValue ?? false,
                                   normalized: entry["normalized"]?.boolValue ?? !special, special: special)
            addedByContent[content] = id
            addedById[id] = content
            if special { specialContents.insert(content) }
            if token.normalized {
                // Matched against normalized text, and decoded from its normalized form.
                if let normalizer {
                    var b = token.bytes
                    try normalizer.apply(&b)
                    token.bytes = b
                    addedById[id] = String(decoding: b, as: UTF8.self)
                }
                normalized.removeAll { $0.id == id }
                normalized.append(token)
            } else {
                raw.removeAll { $0.id == id }
                raw.append(token)
            }
        }
        rawMatcher = AddedTokenMatcher(raw)
        normalizedMatcher = AddedTokenMatcher(normalized)
        vocabSize = max(modelVocabSize, (addedById.keys.max() ?? -1) + 1)
        // Defaults when no config files are present: the conventional names, if the vocabulary has them.
        bosTokenId = ["<s>", "<|begin_of_text|>", "<bos>"].lazy.compactMap { self.id(for: $0) }.first
        eosTokenId = ["</s>", "<|end_of_text|>", "<eos>", "<|endoftext|>"].lazy.compactMap { self.id(for: $0) }.first
    }

    private func modelId(of token: String) -> Int? { Self.modelId(model, token) }

    private static func modelId(_ model: Model, _ token: String) -> Int? {
        switch model {
        case .unigram(let m): return m.id(of: token)
        case .bpe(let m): return m.id(of: token)
        }
    }

    /// Reads BOS/EOS and add_bos_token from tokenizer_config.json and special_tokens_map.json.
    private func applyConfig(folder: URL) throws {
        func tokenName(_ v: JSONValue?) -> String? { v?.stringValue ?? v?["content"]?.stringValue }
        var bos: String?, eos: String?
        for name in ["special_tokens_map.json", "tokenizer_config.json"] {
            let path = folder.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let json = try TokenizerError.readJSON(file: path)
            if let b = tokenName(json["bos_token"]) { bos = b }
            if let e = tokenName(json["eos_token"]) { eos = e }
            // BOS comes from the post-processor template, as with transformers 5 (the fixture's reference),
            // which no longer rebuilds it from add_bos_token for LlamaTokenizerFast.
            if name == "tokenizer_config.json" { addBosToken = json["add_bos_token"]?.boolValue }
        }
        if let bos {
            guard let id = id(for: bos) else {
                throw TokenizerError.badField(file: folder.path, field: "bos_token", reason: "'\(bos)' is not in the vocabulary")
            }
            bosTokenId = id
        }
        if let eos {
            guard let id = id(for: eos) else {
                throw TokenizerError.badField(file: folder.path, field: "eos_token", reason: "'\(eos)' is not in the vocabulary")
            }
            eosTokenId = id
        }
    }

    // MARK: vocabulary

    public func id(for token: String) -> Int? { addedByContent[token] ?? modelId(of: token) }

    public func token(for id: Int) -> String? {
        if let t = addedById[id] { return t }
        switch model {
        case .unigram(let m): return id >= 0 && id < m.pieces.count ? m.pieces[id] : nil
        case .bpe(let m): return m.idToToken[id]
        }
    }

    public func isSpecial(_ id: Int) -> Bool {
        guard let t = token(for: id) else { return false }
        return specialContents.contains(t)
    }

    // MARK: encoding

    public func encode(_ text: String, addSpecialTokens: Bool) throws -> [Int] {
        var tokens: [String]? = nil
        return try encode(text, addSpecialTokens: addSpecialTokens, tokens: &tokens)
    }

    /// The ids and the token strings, as tokenizers' `Encoding.ids` / `Encoding.tokens`.
    public func encodeWithTokens(_ text: String, addSpecialTokens: Bool) throws -> (ids: [Int], tokens: [String]) {
        var tokens: [String]? = []
        let ids = try encode(text, addSpecialTokens: addSpecialTokens, tokens: &tokens)
        return (ids, tokens ?? [])
    }

    private func encode(_ text: String, addSpecialTokens: Bool, tokens: inout [String]?) throws -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(text.utf8.count / 2 + 4)
        for seg in rawMatcher.split(Array(text.utf8), atStart: true) {
            if let id = seg.addedId {
                ids.append(id)
                tokens?.append(String(decoding: seg.bytes, as: UTF8.self))
                continue
            }
            var norm = seg.bytes
            try normalizer?.apply(&norm)
            for sub in normalizedMatcher.split(norm, atStart: seg.atStart) {
                if let id = sub.addedId {
                    ids.append(id)
                    tokens?.append(String(decoding: sub.bytes, as: UTF8.self))
                    continue
                }
                if let preTokenizer {
                    var pieces = [Piece(bytes: sub.bytes, atStart: sub.atStart)]
                    try preTokenizer.apply(&pieces)
                    for p in pieces { try runModel(p.bytes, &ids, &tokens) }
                } else {
                    try runModel(sub.bytes, &ids, &tokens)
                }
            }
        }
        if addSpecialTokens, let postProcessor { postProcessor.apply(ids: &ids, tokens: &tokens) }
        return ids
    }

    private func runModel(_ bytes: [UInt8], _ ids: inout [Int], _ tokens: inout [String]?) throws {
        try bytes.withUnsafeBufferPointer { buf in
            switch model {
            case .unigram(let m): try m.tokenize(buf, ids: &ids, tokens: &tokens)
            case .bpe(let m): try m.tokenize(buf, ids: &ids, tokens: &tokens)
            }
        }
    }

    // MARK: decoding

    /// Decodes ids to text. An id that names no token is an error (the tokenizers library drops it silently).
    public func decode(_ ids: [Int], skipSpecialTokens: Bool) throws -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard let t = token(for: id) else { throw TokenizerError.idOutOfRange(id: id, vocabSize: vocabSize) }
            if skipSpecialTokens && specialContents.contains(t) { continue }
            tokens.append(t)
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return try decoder.decodeChain(tokens).joined()
    }
}
