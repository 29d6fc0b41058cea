import Foundation

/// llm-jp-eval's post-processing (spec §5): prediction = NFKC(text before the first "\n\n"), optionally stripped;
/// gold = NFKC(output).
public enum PostProcessing {
    /// NFKC, then Python `str.strip()` when `strip` is set.
    public static func normalize(_ text: String, strip: Bool) -> String {
        // NFKC = NFKD then canonical composition. Foundation on Linux's precomposedStringWithCompatibilityMapping
        // skips the composition after a compatibility mapping ("ｶﾞ" stays カ + U+3099), so compose explicitly.
        let nfkc = text.decomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
        return strip ? PythonText.strip(nfkc) : nfkc
    }

    /// The prediction llm-jp-eval scores for a generated text.
    public static func prediction(fromGenerated generated: String, strip: Bool) -> String {
        normalize(firstBlock(generated), strip: strip)
    }

    /// The gold string: NFKC only (v1.3.0 and v1.4.x never strip the gold).
    public static func gold(_ output: String) -> String { normalize(output, strip: false) }

    /// `text.split("\n\n")[0]` on code points.
    static func firstBlock(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i + 1 < scalars.count {
            if scalars[i] == "\n" && scalars[i + 1] == "\n" { return PythonText.string(Array(scalars[..<i])) }
            i += 1
        }
        return text
    }

    /// Whether generation can stop: once the text holds "\n\n" nothing after it can change the prediction.
    public static func containsBlockEnd(_ text: String) -> Bool {
        var previousNewline = false
        for s in text.unicodeScalars {
            if s == "\n" { if previousNewline { return true }; previousNewline = true } else { previousNewline = false }
        }
        return false
    }
}
