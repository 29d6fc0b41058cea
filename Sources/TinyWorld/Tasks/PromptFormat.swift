/// The llm-jp-eval v1.4.1 default prompt template (spec §4.1), concatenated literally.
public enum PromptFormat {
    public static let header = "以下は、タスクを説明する指示と、文脈のある入力の組み合わせです。要求を適切に満たす応答を書きなさい。"

    public static func prompt(instruction: String, shots: [EvalItem], input: String) -> String {
        var p = header + "\n\n### 指示:\n" + instruction
        for shot in shots { p += "\n\n### 入力:\n" + shot.input + "\n\n### 応答:\n" + shot.output }
        p += "\n\n### 入力:\n" + input + "\n\n### 応答:\n"
        return p
    }

    /// The block one sample occupies inside a prompt; the corpus must never contain it for a dev or test sample.
    public static func block(_ item: EvalItem) -> String {
        "### 入力:\n" + item.input + "\n\n### 応答:\n" + item.output
    }
}
