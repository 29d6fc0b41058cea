import Linalg
/// Tasks whose answers are world facts the corpus states (QA, MC, HE): the context gives no answer.
enum KnowledgeTasks {
    /// QA (char_f1), JEMHopQA/NIILC style: one question per fact, facts split between train, dev and test.
    static func qa(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        var items: [EvalItem] = world.countries.map {
            EvalItem(input: "質問：\($0.name.ja)の首都はどこですか？", output: $0.capital.ja)
        }
        for p in world.people {
            items.append(EvalItem(input: "質問：\(p.name.ja)はどこに住んでいますか？", output: p.city.ja))
            items.append(EvalItem(input: "質問：\(p.name.ja)の好きな動物は何ですか？", output: p.animal.name.ja))
            items.append(EvalItem(input: "質問：\(p.name.ja)の好きな色は何ですか？", output: p.colour.ja))
            items.append(EvalItem(input: "質問：\(p.name.ja)は何月生まれですか？", output: p.birthMonth.ja))
        }
        rng.shuffle(&items)
        let card = TaskCard("QA", metric: "char_f1", instruction: "質問に対する回答を出力してください。",
            summary: "A question about one world fact (a capital, or where a person lives, their favourite animal, colour or birth month). Each fact is asked in one split only; the corpus states every fact in plain Japanese and English sentences.")
        return try card.cut(items, sizes: sizes)
    }

    /// MC (exact_match, "0"–"2"), JCommonsenseQA style: pick the choice that matches a world fact.
    static func mc(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let card = TaskCard("MC", metric: "exact_match", instruction: "質問に対する回答を選択肢の番号（例：0）で答えてください。",
            summary: "Three choices (0–2) about a world fact: the city a person lives in, their favourite animal, or the country of a capital. The answer position is balanced over 0, 1, 2.")
        return try card.draw(sizes: sizes) { index in
            let question: String, answer: String, pool: [String]
            let answerAt = index % 3
            switch rng.below(3) {
            case 0:
                let p = rng.pick(world.people)
                question = "\(p.name.ja)が住んでいる都市はどれですか？"
                answer = p.city.ja; pool = Lexicon.cities.map(\.ja)
            case 1:
                let p = rng.pick(world.people)
                question = "\(p.name.ja)の好きな動物はどれですか？"
                answer = p.animal.name.ja; pool = world.animals.map(\.name.ja)
            default:
                let c = rng.pick(world.countries)
                question = "\(c.capital.ja)はどの国の首都ですか？"
                answer = c.name.ja; pool = world.countries.map(\.name.ja)
            }
            var choices = rng.sample(pool.filter { $0 != answer }, 2)
            choices.insert(answer, at: answerAt)
            let listed = choices.enumerated().map { "\($0.offset).\($0.element)" }.joined(separator: ",")
            return EvalItem(input: "質問：\(question)\n選択肢：\(listed)", output: String(answerAt))
        }
    }

    /// HE (exact_match, "A"–"D"), MMLU/JMMLU style: animal classes and capitals with four choices.
    static func he(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let letters = ["A", "B", "C", "D"]
        let card = TaskCard("HE", metric: "exact_match", instruction: "質問に対する回答を選択肢のアルファベット（例：A）で答えてください。",
            summary: "Four choices (A–D): the class of an animal (哺乳類, 鳥類, 魚類, 爬虫類) or the capital of a country. The answer letter is balanced over A–D.")
        return try card.draw(sizes: sizes) { index in
            let answerAt = index % 4
            let question: String, answer: String, others: [String]
            if rng.chance(0.5) {
                let a = rng.pick(world.animals)
                question = "\(a.name.ja)は何の仲間ですか？"
                answer = a.kind.ja
                others = rng.shuffled(Lexicon.kinds.map(\.ja).filter { $0 != answer })
            } else {
                let c = rng.pick(world.countries)
                question = "\(c.name.ja)の首都はどれですか？"
                answer = c.capital.ja
                others = rng.sample(world.countries.map(\.capital.ja).filter { $0 != answer }, 3)
            }
            var choices = Array(others.prefix(3))
            choices.insert(answer, at: answerAt)
            let listed = zip(letters, choices).map { "\($0).\($1)" }.joined(separator: ",")
            return EvalItem(input: "質問：\(question)\n選択肢：\(listed)", output: letters[answerAt])
        }
    }
}
