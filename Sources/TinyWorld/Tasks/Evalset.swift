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

/// Draws items until `sizes.total` distinct inputs exist, then cuts them into train/dev/test in draw order.
/// Distinct inputs mean no dev or test input equals a train input.
func drawSplits(task: String, sizes: SplitSizes, attempts: Int = 50_000,
                _ make: (_ index: Int) -> EvalItem) throws -> (train: [EvalItem], dev: [EvalItem], test: [EvalItem]) {
    var seen = Set<String>()
    var items: [EvalItem] = []
    var tries = 0
    while items.count < sizes.total && tries < attempts {
        let item = make(items.count)
        tries += 1
        if seen.insert(item.input).inserted { items.append(item) }
    }
    guard items.count == sizes.total else {
        throw TinyWorldError.tooFewItems(task: task, wanted: sizes.total, found: items.count)
    }
    let dev = sizes.train + sizes.dev
    return (Array(items[0..<sizes.train]), Array(items[sizes.train..<dev]), Array(items[dev...]))
}

/// Cuts a fixed list of items (already shuffled) into splits.
func cutSplits(task: String, _ items: [EvalItem], sizes: SplitSizes) throws
    -> (train: [EvalItem], dev: [EvalItem], test: [EvalItem]) {
    guard items.count >= sizes.total else {
        throw TinyWorldError.tooFewItems(task: task, wanted: sizes.total, found: items.count)
    }
    let dev = sizes.train + sizes.dev
    return (Array(items[0..<sizes.train]), Array(items[sizes.train..<dev]), Array(items[dev..<sizes.total]))
}
