/// Small surface helpers shared by the task generators and the corpus.
enum Phrases {
    /// Japanese attributive form of a colour ("赤" → "赤い", "緑" → "緑の").
    static func colourAdjective(_ colour: Term) -> String {
        switch colour.ja {
        case "緑": return "緑の"
        case "黄色": return "黄色い"
        default: return colour.ja + "い"
        }
    }

    static func article(_ noun: String) -> String {
        guard let first = noun.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    /// "the dog" style reference used in English fact sentences.
    static func enAnimal(_ animal: Animal) -> String { animal.name.en }

    static func outputLength(_ items: [EvalItem], slack: Int = 2) -> Int {
        (items.map { $0.output.unicodeScalars.count }.max() ?? 0) + slack
    }
}
