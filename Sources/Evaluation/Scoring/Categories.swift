/// The llm-jp-eval v1.4.1 category table (spec §9): which dataset belongs to which category, and which of its
/// metrics is the one averaged into the category.
public enum Categories {
    /// Category names in report order. STS is reported but never part of AVG.
    public static let order = ["NLI", "QA", "RC", "MC", "EL", "FA", "MR", "MT", "HE", "CG", "SUM", "STS"]
    /// Categories that are not averaged into AVG.
    public static let excludedFromAverage: Set<String> = ["STS"]

    static let table: [String: (category: String, main: String)] = [
        "jamp": ("NLI", "exact_match"), "janli": ("NLI", "exact_match"), "jnli": ("NLI", "exact_match"),
        "jsem": ("NLI", "exact_match"), "jsick": ("NLI", "exact_match"),
        "jemhopqa": ("QA", "char_f1"), "niilc": ("QA", "char_f1"), "aio": ("QA", "char_f1"),
        "jsquad": ("RC", "char_f1"),
        "jcommonsenseqa": ("MC", "exact_match"), "commonsensemoralja": ("MC", "exact_match"), "kuci": ("MC", "exact_match"),
        "chabsa": ("EL", "set_f1"),
        "wiki_reading": ("FA", "char_f1"), "wiki_ner": ("FA", "set_f1"), "wiki_dependency": ("FA", "set_f1"),
        "wiki_pas": ("FA", "set_f1"), "wiki_coreference": ("FA", "set_f1"),
        "mawps": ("MR", "exact_match"),
        "alt-e-to-j": ("MT", "comet_wmt22"), "alt-j-to-e": ("MT", "comet_wmt22"),
        "wikicorpus-e-to-j": ("MT", "comet_wmt22"), "wikicorpus-j-to-e": ("MT", "comet_wmt22"),
        "mmlu_en": ("HE", "exact_match"), "jmmlu": ("HE", "exact_match"),
        "mbpp": ("CG", "code_exec"),
        "xlsum_ja": ("SUM", "rouge2"),
        "jsts": ("STS", "pearson"),
    ]

    public static func category(of dataset: String) -> String? { table[dataset]?.category ?? builtIn(dataset) }

    /// The built-in tiny world's datasets are named `tinyworld_<category>` (evalsets/tiny-world/README.md).
    static func builtIn(_ dataset: String) -> String? {
        guard dataset.hasPrefix("tinyworld_") else { return nil }
        let category = dataset.dropFirst("tinyworld_".count).uppercased()
        return order.contains(category) ? category : nil
    }

    /// v1.4.1's averaged metric of a dataset; for a dataset outside the table, its first metric.
    public static func mainMetric(of dataset: String, metrics: [String]) -> String? {
        table[dataset]?.main ?? metrics.first
    }
}
