import Foundation
import JSON

/// Writes a `UnigramModel` as Hugging Face tokenizer files with the LLM-jp v3 pipeline: the same added tokens
/// shape, the two-stage Replace normalizer, no pre-tokenizer, the BOS TemplateProcessing post-processor and the
/// ByteFallback/Replace/Fuse/Replace decoder.
public enum TokenizerFiles {
    public static func write(_ model: UnigramModel, to directory: String) throws {
        try WorldGenerator.makeDirectory(directory)
        try WorldGenerator.write(tokenizerJSON(model), to: directory + "/tokenizer.json")
        try WorldGenerator.write(tokenizerConfig, to: directory + "/tokenizer_config.json")
        try WorldGenerator.write(specialTokensMap, to: directory + "/special_tokens_map.json")
    }

    public static func tokenizerJSON(_ model: UnigramModel) -> String {
        let added = UnigramModel.specialTokens.enumerated().map { id, content in
            "    {\"id\": \(id), \"content\": \(JSONWriter.quote(content)), \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}"
        }.joined(separator: ",\n")
        let vocab = model.pieces.map { "      [\(JSONWriter.quote($0.text)), \(number($0.score))]" }.joined(separator: ",\n")
        return """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [
        \(added)
          ],
          "normalizer": {"type": "Sequence", "normalizers": [{"type": "Replace", "pattern": {"Regex": "(?<!\\\\n)^"}, "content": "▁"}, {"type": "Replace", "pattern": {"Regex": " "}, "content": "▁"}]},
          "pre_tokenizer": null,
          "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}], "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
          "decoder": {"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Replace", "pattern": {"Regex": "▁"}, "content": " "}, {"type": "Fuse"}, {"type": "Replace", "pattern": {"Regex": "(?<!\\\\n)^ "}, "content": ""}]},
          "model": {
            "type": "Unigram",
            "unk_id": 0,
            "vocab": [
        \(vocab)
            ],
            "byte_fallback": true
          }
        }

        """
    }

    /// Shortest round-tripping decimal; scores are always finite.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(format: "%.1f", x) : "\(x)"
    }

    public static let specialTokensMap = """
    {"bos_token": "<s>", "cls_token": "<CLS>", "eod_token": "</s>", "eos_token": "</s>", "mask_token": "<MASK>", "pad_token": "<PAD>", "sep_token": "<SEP>", "unk_token": "<unk>"}

    """

    public static let tokenizerConfig = """
    {"add_bos_token": true, "add_eos_token": false, "unk_token": "<unk>", "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<PAD>", "cls_token": "<CLS>", "sep_token": "<SEP>", "eod_token": "</s>", "mask_token": "<MASK>", "extra_ids": 0, "sp_model_kwargs": {}, "model_max_length": 1000000000000000019884624838656, "clean_up_tokenization_spaces": false, "special_tokens_map_file": null, "tokenizer_class": "PreTrainedTokenizerFast"}

    """
}
