/// One llm-jp-eval sample.
public struct EvalItem: Sendable, Hashable {
    public var input: String
    public var output: String
    public init(input: String, output: String) { self.input = input; self.output = output }
}

/// How many items each split gets.
public struct SplitSizes: Sendable {
    public var train: Int, dev: Int, test: Int
    public init(train: Int, dev: Int, test: Int) { self.train = train; self.dev = dev; self.test = test }
    public var total: Int { train + dev + test }
}

/// A generated dataset in llm-jp-eval v1.4.1 terms: the file fields plus the three splits.
public struct Evalset: Sendable {
    public let name: String
    public let category: String          // NLI, QA, RC, MC, EL, FA, MR, MT, HE
    public let instruction: String
    public let outputLength: Int         // max new tokens; an upper bound for the tiny-world tokenizer
    public let metrics: [String]
    public let train: [EvalItem]
    public let dev: [EvalItem]
    public let test: [EvalItem]
    /// What the task asks and how its chance level is defined (the README is written from these).
    public let summary: String

    public static let splitNames = ["train", "dev", "test"]

    public func items(split: String) -> [EvalItem] {
        switch split {
        case "train": return train
        case "dev": return dev
        default: return test
        }
    }
}

/// The file fields of one tiny-world task; its name is `tinyworld_` + the category, its one metric is the
/// category's llm-jp-eval metric.
struct TaskCard {
    let category: String, metric: String, instruction: String, summary: String
    init(_ category: String, metric: String, instruction: String, summary: String) {
        self.category = category; self.metric = metric; self.instruction = instruction; self.summary = summary
    }
    var name: String { "tinyworld_" + category.lowercased() }

    /// Draws items until `sizes.total` distinct inputs exist, then cuts them into train/dev/test in draw order.
    /// Distinct inputs mean no dev or test input equals a train input.
    func draw(sizes: SplitSizes, attempts: Int = 50_000, _ make: (_ index: Int) -> EvalItem) throws -> Evalset {
        var seen = Set<String>()
        var items: [EvalItem] = []
        var tries = 0
        while items.count < sizes.total && tries < attempts {
            let item = make(items.count)
            tries += 1
            if seen.insert(item.input).inserted { items.append(item) }
        }
        return try cut(items, sizes: sizes)
    }

    /// Cuts a list of items (already in random order) into splits.
    func cut(_ items: [EvalItem], sizes: SplitSizes) throws -> Evalset {
        guard items.count >= sizes.total else {
            throw TinyWorldError.tooFewItems(task: name, wanted: sizes.total, found: items.count)
        }
        let dev = sizes.train + sizes.dev
        let train = Array(items[0..<sizes.train]), devItems = Array(items[sizes.train..<dev])
        let test = Array(items[dev..<sizes.total])
        return Evalset(name: name, category: category, instruction: instruction,
                       outputLength: Phrases.outputLength(train + devItems + test), metrics: [metric],
                       train: train, dev: devItems, test: test, summary: summary)
    }
}
