/// The subset of Python `str.format` that llm-jp-eval's custom templates use: `{name}` fields, `{{` and `}}`.
struct PythonFormat {
    enum Piece: Equatable { case literal(String), field(String) }
    let pieces: [Piece]

    /// Parses `template`; `field` names the option in error messages.
    init(_ template: String, field: String) throws {
        var pieces: [Piece] = []
        var literal = String.UnicodeScalarView()
        let s = Array(template.unicodeScalars)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "{" {
                if i + 1 < s.count && s[i + 1] == "{" { literal.append("{"); i += 2; continue }
                guard let close = s[(i + 1)...].firstIndex(of: "}") else {
                    throw EvaluationError.template(field: field, detail: "single '{' without a closing '}'")
                }
                let name = String(String.UnicodeScalarView(s[(i + 1)..<close]))
                guard !name.isEmpty, name.unicodeScalars.allSatisfy({ PythonText.isWord($0) }) else {
                    throw EvaluationError.template(field: field, detail: "unsupported placeholder '{\(name)}' (use {instruction}, {few_shots_text}, {input})")
                }
                if !literal.isEmpty { pieces.append(.literal(String(literal))); literal = String.UnicodeScalarView() }
                pieces.append(.field(name))
                i = close + 1
            } else if c == "}" {
                guard i + 1 < s.count && s[i + 1] == "}" else {
                    throw EvaluationError.template(field: field, detail: "single '}' encountered (write '}}' for a literal brace)")
                }
                literal.append("}"); i += 2
            } else {
                literal.append(c); i += 1
            }
        }
        if !literal.isEmpty { pieces.append(.literal(String(literal))) }
        self.pieces = pieces
    }

    /// Substitutes every field; a field without a value is an error naming it.
    func format(_ values: [String: String], field: String) throws -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let text): out += text
            case .field(let name):
                guard let v = values[name] else {
                    throw EvaluationError.template(field: field, detail: "unknown placeholder '{\(name)}'")
                }
                out += v
            }
        }
        return out
    }

    /// Doubles braces so a value survives a second formatting pass literally.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
    }
}
