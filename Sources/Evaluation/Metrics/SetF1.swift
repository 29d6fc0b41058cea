/// llm-jp-eval's `set_f1` for one sample (spec §8.3). Not symmetric: predicted lines are de-duplicated, gold lines
/// are not, and recall counts matched predicted lines.
public enum SetF1 {
    public static func score(prediction: String, gold: String) -> Double {
        var seen = Set<String>()
        var predicted: [String] = []
        for line in PythonText.split(prediction, separator: "\n") {
            let item = PythonText.strip(line)
            if seen.insert(key(item)).inserted { predicted.append(item) }
        }
        let golds = Set(PythonText.split(gold, separator: "\n").map { key(PythonText.strip($0)) })
        let goldCount = PythonText.split(gold, separator: "\n").count
        let matched = predicted.filter { golds.contains(key($0)) }.count
        let precision = Double(matched) / Double(predicted.count)
        let recall = Double(matched) / Double(goldCount)
        return precision + recall != 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// Code-point identity (Swift String hashing is by canonical equivalence, Python's by code points).
    private static func key(_ s: String) -> String { s.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ",") }
}
