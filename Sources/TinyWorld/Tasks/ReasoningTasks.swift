import Linalg
/// MR (arithmetic word problems) and MT (Japanese → English translation).
enum ReasoningTasks {
    /// MR (exact_match), MAWPS style: one-step addition or subtraction with small numbers.
    static func mr(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let fruits = ["りんご", "みかん"]
        let card = TaskCard("MR", metric: "exact_match", instruction: "計算問題の答えを数値のみで出力してください。",
            summary: "A one-step word problem: a person has a few fruits and gets some more (a+b, a,b in 1–5) or eats some (a−b, a in 4–9, b in 1–3); the answer is the number.")
        return try card.draw(sizes: sizes) { _ in
            let person = rng.pick(world.people).name.ja
            let fruit = rng.pick(fruits)
            if rng.chance(0.5) {
                let a = rng.int(in: 1...5), b = rng.int(in: 1...5)
                return EvalItem(input: "\(person)は\(fruit)を\(a)個持っています。\(b)個もらうと何個になりますか？",
                                output: String(a + b))
            }
            let a = rng.int(in: 4...9), b = rng.int(in: 1...3)
            return EvalItem(input: "\(person)は\(fruit)を\(a)個持っています。\(b)個食べると何個残りますか？",
                            output: String(a - b))
        }
    }

    /// MT (bleu_en), ALT j-to-e style: short sentences about invented events, translated word for word.
    static func mt(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let card = TaskCard("MT", metric: "bleu_en", instruction: "日本語の文章を英語に翻訳してください。",
            summary: "Translate a short Japanese sentence about an invented event (went to, met, saw, ate) into English. The corpus pairs every name with its English form.")
        return try card.draw(sizes: sizes) { _ in
            let ppl = rng.sample(world.people.map(\.name), 2)
            let p = ppl[0]
            switch rng.below(5) {
            case 0:
                let c = rng.pick(Lexicon.cities)
                return EvalItem(input: "\(p.ja)は\(c.ja)へ行きました。", output: "\(p.en) went to \(c.en).")
            case 1:
                let c = rng.pick(Lexicon.cities), m = rng.pick(Lexicon.months)
                return EvalItem(input: "\(p.ja)は\(m.ja)に\(c.ja)へ行きました。",
                                output: "\(p.en) went to \(c.en) in \(m.en).")
            case 2:
                return EvalItem(input: "\(p.ja)は\(ppl[1].ja)に会いました。", output: "\(p.en) met \(ppl[1].en).")
            case 3:
                let a = rng.pick(world.animals).name
                return EvalItem(input: "\(p.ja)は\(a.ja)を見ました。",
                                output: "\(p.en) saw \(Phrases.article(a.en)) \(a.en).")
            default:
                let f = rng.pick(Lexicon.foods)
                return EvalItem(input: "\(p.ja)は\(f.ja)を食べました。", output: "\(p.en) ate \(f.en).")
            }
        }
    }
}
