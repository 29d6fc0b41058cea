import JSON

/// JSON text written the way Python's `json.dump(..., ensure_ascii=False, indent=4)` writes it, so the committed
/// evalsets look like llm-jp-eval's own files and regenerate byte for byte.
enum EvalsetJSON {
    private static func string(_ s: String) -> String { JSONWriter.quote(s) }

    /// An llm-jp-eval evaluation file (spec §3.1): instruction, output_length, metrics, few_shots ([]), samples.
    static func evaluationFile(instruction: String, outputLength: Int, metrics: [String], samples: [EvalItem]) -> String {
        var s = "{\n"
        s += "    \"instruction\": \(string(instruction)),\n"
        s += "    \"output_length\": \(outputLength),\n"
        s += "    \"metrics\": [\n" + metrics.map { "        " + string($0) }.joined(separator: ",\n") + "\n    ],\n"
        s += "    \"few_shots\": [],\n"
        if samples.isEmpty {
            s += "    \"samples\": []\n"
        } else {
            s += "    \"samples\": [\n"
            s += samples.map { item in
                "        {\n            \"input\": \(string(item.input)),\n            \"output\": \(string(item.output))\n        }"
            }.joined(separator: ",\n")
            s += "\n    ]\n"
        }
        return s + "}"
    }

    static func corpusLine(_ text: String) -> String { "{\"text\": " + string(text) + "}" }
}
