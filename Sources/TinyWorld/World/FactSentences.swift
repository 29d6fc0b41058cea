import Linalg
/// Plain sentences stating the world's facts, in several phrasings per language, so that a fact is seen in
/// varied contexts (which helps a small model retrieve it when asked in a new form).
enum FactSentences {
    enum Language { case ja, en }

    /// All phrasings of every fact, grouped by fact; each entry is (japanese phrasings, english phrasings).
    static func all(_ world: World) -> [(ja: [String], en: [String])] {
        var facts: [(ja: [String], en: [String])] = []
        for p in world.people {
            let n = p.name
            facts.append((["\(n.ja)は\(p.city.ja)に住んでいます。", "\(n.ja)の家は\(p.city.ja)にあります。"],
                          ["\(n.en) lives in \(p.city.en).", "\(n.en)'s home is in \(p.city.en)."]))
            facts.append((["\(n.ja)は\(p.animal.name.ja)が好きです。", "\(n.ja)の好きな動物は\(p.animal.name.ja)です。"],
                          ["\(n.en) likes the \(p.animal.name.en).", "\(n.en)'s favourite animal is the \(p.animal.name.en)."]))
            facts.append((["\(n.ja)の好きな色は\(p.colour.ja)です。", "\(n.ja)は\(p.colour.ja)が好きな色です。"],
                          ["\(n.en)'s favourite colour is \(p.colour.en).", "\(n.en) likes the colour \(p.colour.en)."]))
            facts.append((["\(n.ja)は\(p.birthMonth.ja)生まれです。", "\(n.ja)の誕生日は\(p.birthMonth.ja)です。"],
                          ["\(n.en) was born in \(p.birthMonth.en).", "\(n.en)'s birthday is in \(p.birthMonth.en)."]))
        }
        for c in world.countries {
            facts.append((["\(c.name.ja)の首都は\(c.capital.ja)です。", "\(c.capital.ja)は\(c.name.ja)の首都です。"],
                          ["The capital of \(c.name.en) is \(c.capital.en).", "\(c.capital.en) is the capital of \(c.name.en)."]))
        }
        for a in world.animals {
            facts.append((["\(a.name.ja)は\(a.kind.ja)です。", "\(a.name.ja)は\(a.kind.ja)の仲間です。"],
                          ["The \(a.name.en) is \(Phrases.article(a.kind.en)) \(a.kind.en).",
                           "\(Phrases.article(a.name.en).capitalisedFirst) \(a.name.en) is \(Phrases.article(a.kind.en)) \(a.kind.en)."]))
        }
        return facts
    }

    /// Arithmetic facts for the MR task's number range.
    static func arithmetic(_ rng: inout SeededRandom) -> String {
        let a = rng.int(in: 0...9), b = rng.int(in: 0...9)
        switch rng.below(4) {
        case 0: return "\(a)たす\(b)は\(a + b)です。"
        case 1: return "\(a)+\(b)=\(a + b)"
        case 2:
            let (x, y) = (max(a, b), min(a, b))
            return "\(x)ひく\(y)は\(x - y)です。"
        default:
            return "\(Lexicon.numberWords[a].capitalisedFirst) plus \(Lexicon.numberWords[b]) is \(Lexicon.numberWords[a + b])."
        }
    }
}

extension String {
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}
