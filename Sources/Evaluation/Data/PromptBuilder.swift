/// Renders llm-jp-eval v1.4.1 prompts (spec §4): the Alpaca-ja header, `### 指示:`, inline shots, `### 入力:`,
/// `### 応答:`; or the `custom_prompt_template` / `custom_fewshots_template` form.
public struct PromptBuilder: Sendable {
    public static let header = "以下は、タスクを説明する指示と、文脈のある入力の組み合わせです。要求を適切に満たす応答を書きなさい。"

    /// Text before the sample's input, the same for every sample of a dataset (what the prefix cache prefills).
    public let prefix: String
    /// Text after the sample's input.
    private let pieces: [PythonFormat.Piece]

    /// The default v1.4.1 template, by literal concatenation (no format processing of instruction or shot text).
    public init(instruction: String, shots: [EvalSample]) {
        var p = Self.header + "\n\n### 指示:\n" + instruction
        for shot in shots { p += "\n\n### 入力:\n" + shot.input + "\n\n### 応答:\n" + shot.output }
        p += "\n\n### 入力:\n"
        prefix = p
        pieces = [.field("input"), .literal("\n\n### 応答:\n")]
    }

    /// llm-jp-eval's custom templates: `template.format(instruction=, few_shots_text=, input="{input}")`, then
    /// `.format(input=sample)`. Instruction and shot text are brace-escaped before the first pass so that braces in
    /// the data stay literal (v1.4.x escapes them too). With 0 shots `{few_shots_text}` renders empty.
    public init(instruction: String, shots: [EvalSample], customTemplate: String, customFewshotsTemplate: String?) throws {
        var shotsText = ""
        let shotFormat = try customFewshotsTemplate.map { try PythonFormat($0, field: "custom_fewshots_template") }
        for shot in shots {
            if let f = shotFormat {
                shotsText += try f.format(["input": shot.input, "output": shot.output], field: "custom_fewshots_template")
            } else {
                shotsText += "\n\n### 入力:\n" + shot.input + "\n\n### 応答:\n" + shot.output
            }
        }
        let first = try PythonFormat(customTemplate, field: "custom_prompt_template")
            .format(["instruction": PythonFormat.escape(instruction), "few_shots_text": PythonFormat.escape(shotsText),
                     "input": "{input}"], field: "custom_prompt_template")
        let second = try PythonFormat(first, field: "custom_prompt_template")
        for case .field(let name) in second.pieces where name != "input" {
            throw EvaluationError.template(field: "custom_prompt_template", detail: "unknown placeholder '{\(name)}'")
        }
        var prefix = ""
        var rest = second.pieces[...]
        while let head = rest.first, case .literal(let text) = head { prefix += text; rest = rest.dropFirst() }
        self.prefix = prefix
        self.pieces = Array(rest)
    }

    /// Builds the builder a dataset and options call for.
    public init(dataset: EvalDataset, options: EvalOptions) throws {
        if let template = options.customPromptTemplate {
            try self.init(instruction: dataset.instruction, shots: dataset.shots, customTemplate: template,
                          customFewshotsTemplate: options.customFewshotsTemplate)
        } else {
            self.init(instruction: dataset.instruction, shots: dataset.shots)
        }
    }

    /// The full prompt for one sample's input.
    public func render(input: String) -> String {
        var out = prefix
        for piece in pieces {
            switch piece {
            case .literal(let text): out += text
            case .field: out += input
            }
        }
        return out
    }
}
