import Linalg
/// Tasks answered from the input text itself (NLI, RC, EL, FA). Their passages use invented situations
/// (trips, belongings, tastes, meetings) phrased unlike the corpus's fact sentences, so they never restate
/// or contradict the world's facts.
enum ContextTasks {
    /// NLI (exact_match), JNLI style labels. Premise: two people's belongings and colours.
    /// Hypothesis: one clause restated (entailment), one clause with another colour (contradiction),
    /// or a third person not in the premise (neutral). Labels are balanced.
    static func nli(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let labels = ["entailment", "contradiction", "neutral"]
        let card = TaskCard("NLI", metric: "exact_match", instruction: "前提と仮説の関係をentailment、contradiction、neutralの中から回答してください。",
            summary: "Premise: the colours of two people's belongings. Hypothesis: one restated (entailment), one with another colour (contradiction), or the same claim about a third person (neutral). Labels balanced.")
        return try card.draw(sizes: sizes) { index in
            let label = labels[index % 3]
            let ppl = rng.sample(world.people.map(\.name.ja), 3)
            let objs = rng.sample(Lexicon.objects.map(\.ja), 2)
            let cols = rng.sample(Lexicon.colours.map(\.ja), 3)
            let premise = "\(ppl[0])の\(objs[0])は\(cols[0])で、\(ppl[1])の\(objs[1])は\(cols[1])です。"
            let k = rng.below(2)
            let hypothesis: String
            switch label {
            case "entailment": hypothesis = "\(ppl[k])の\(objs[k])は\(cols[k])です。"
            case "contradiction": hypothesis = "\(ppl[k])の\(objs[k])は\(cols[2])です。"
            default: hypothesis = "\(ppl[2])の\(objs[k])は\(cols[k])です。"
            }
            return EvalItem(input: "前提：\(premise)\n仮説：\(hypothesis)", output: label)
        }
    }

    /// RC (char_f1), JSQuAD style: extract the answer span from a two-sentence passage.
    static func rc(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let card = TaskCard("RC", metric: "char_f1", instruction: "質問に対する回答を文章から一言で抽出してください。",
            summary: "A two-sentence passage (what two people carry, or where they travelled) and a question about one of them; the answer is a span of the passage.")
        return try card.draw(sizes: sizes) { _ in
            let ppl = rng.sample(world.people.map(\.name.ja), 2)
            let asked = rng.below(2)
            if rng.chance(0.5) {
                let objs = rng.sample(Lexicon.objects.map(\.ja), 2)
                let cols = rng.sample(Lexicon.colours, 2).map(Phrases.colourAdjective)
                let passage = "\(ppl[0])は\(cols[0])\(objs[0])を持っています。\(ppl[1])は\(cols[1])\(objs[1])を持っています。"
                return EvalItem(input: "文章：\(passage)\n質問：\(ppl[asked])は何を持っていますか？",
                                output: cols[asked] + objs[asked])
            }
            let cities = rng.sample(Lexicon.cities.map(\.ja), 2)
            let passage = "\(ppl[0])は\(cities[0])へ旅行しました。\(ppl[1])は\(cities[1])へ旅行しました。"
            return EvalItem(input: "文章：\(passage)\n質問：\(ppl[asked])はどこへ旅行しましたか？", output: cities[asked])
        }
    }

    /// EL (set_f1), chABSA style: each food mentioned with its polarity, one "target polarity" line each.
    static func el(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let cues: [(String, String)] = [
            ("が好きです", "positive"), ("はおいしいです", "positive"),
            ("が嫌いです", "negative"), ("はまずいです", "negative"),
            ("はふつうです", "neutral"),
        ]
        let card = TaskCard("EL", metric: "set_f1", instruction: "文章中の対象と極性（positive、neutral、negative）をスペースで区切って一行ずつ出力してください。",
            summary: "A sentence giving a person's opinion of one or two foods; output one `food polarity` line per food (positive, neutral, negative).")
        return try card.draw(sizes: sizes) { _ in
            let person = rng.pick(world.people).name.ja
            let count = 1 + rng.below(2)
            let foods = rng.sample(Lexicon.foods.map(\.ja), count)
            // Two opinions are joined with "が、" so a one-food input is never the start of a two-food one.
            var text = person + "は"
            var lines: [String] = []
            for (i, food) in foods.enumerated() {
                let (cue, polarity) = rng.pick(cues)
                text += (i == 0 ? "" : "が、") + food + cue
                lines.append("\(food) \(polarity)")
            }
            text += "。"
            return EvalItem(input: "文章：\(text)", output: lines.joined(separator: "\n"))
        }
    }

    /// FA (set_f1), wiki_ner style: named entities with their type. Unlike wiki_ner (one space-joined line),
    /// entities are joined by newlines so that set_f1 gives per-entity credit.
    static func fa(world: World, rng: inout SeededRandom, sizes: SplitSizes) throws -> Evalset {
        let card = TaskCard("FA", metric: "set_f1", instruction: "テキストから固有表現（人名、地名、日付表現）を抽出し、「固有表現（種類）」の形で一行ずつ出力してください。",
            summary: "Named-entity extraction from one sentence: people (人名), places (地名) and months (日付表現), one `entity（type）` per line.")
        return try card.draw(sizes: sizes) { _ in
            let ppl = rng.sample(world.people.map(\.name.ja), 2)
            let month = rng.pick(Lexicon.months).ja
            switch rng.below(3) {
            case 0:
                let city = rng.pick(Lexicon.cities).ja
                return EvalItem(input: "\(ppl[0])は\(month)に\(city)で\(ppl[1])に会いました。",
                                output: "\(ppl[0])（人名）\n\(month)（日付表現）\n\(city)（地名）\n\(ppl[1])（人名）")
            case 1:
                let city = rng.pick(Lexicon.cities).ja
                return EvalItem(input: "\(ppl[0])は\(ppl[1])と\(city)を散歩しました。",
                                output: "\(ppl[0])（人名）\n\(ppl[1])（人名）\n\(city)（地名）")
            default:
                let country = rng.pick(world.countries).name.ja
                return EvalItem(input: "\(month)に\(ppl[0])は\(country)を訪れました。",
                                output: "\(month)（日付表現）\n\(ppl[0])（人名）\n\(country)（地名）")
            }
        }
    }
}
