import Foundation

/// Finds and loads the datasets of an llm-jp-eval preprocessed tree.
///
/// Accepted roots: `<root>/evaluation/<split>/`, `<root>/<version>/evaluation/<split>/` (one version folder, or
/// `1.4.1` among several), or `<root>` being the `evaluation` folder itself.
public func loadEvalSuite(root: String, options: EvalOptions) throws -> [EvalDataset] {
    try SuiteLoader(root: root, options: options).load()
}

struct SuiteLoader {
    let root: String
    let options: EvalOptions

    func evaluationDirectory() throws -> String {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw EvaluationError.fileNotFound(path: root, what: "evalsets folder")
        }
        let direct = (root as NSString).appendingPathComponent("evaluation")
        if fm.fileExists(atPath: direct) { return direct }
        if fm.fileExists(atPath: (root as NSString).appendingPathComponent(options.split)),
           (root as NSString).lastPathComponent == "evaluation" { return root }
        let children = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        let versions = children.filter { fm.fileExists(atPath: (root as NSString).appendingPathComponent("\($0)/evaluation")) }
        if versions.count == 1 { return (root as NSString).appendingPathComponent("\(versions[0])/evaluation") }
        if versions.contains("1.4.1") { return (root as NSString).appendingPathComponent("1.4.1/evaluation") }
        if versions.isEmpty {
            throw EvaluationError.noDatasets(root: root, detail: "no 'evaluation/' or '<version>/evaluation/' folder inside")
        }
        throw EvaluationError.noDatasets(root: root, detail: "several versions (\(versions.joined(separator: ", "))); point --evalsets at one of them")
    }

    func load() throws -> [EvalDataset] {
        try options.validate()
        let evaluation = try evaluationDirectory()
        let splitDir = (evaluation as NSString).appendingPathComponent(options.split)
        let fm = FileManager.default
        guard fm.fileExists(atPath: splitDir) else { throw EvaluationError.fileNotFound(path: splitDir, what: "split folder '\(options.split)'") }
        let available = ((try? fm.contentsOfDirectory(atPath: splitDir)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
        var names: [String]
        if let wanted = options.datasets {
            for name in wanted where !available.contains(name) { throw EvaluationError.unknownDataset(root: splitDir, name: name) }
            names = wanted
        } else {
            names = available
        }
        if let categories = options.categories {
            for c in categories where !Categories.order.contains(c) { throw EvaluationError.unknownCategory(name: c) }
            names = names.filter { name in Categories.category(of: name).map(categories.contains) ?? false }
        }
        if names.isEmpty { throw EvaluationError.noDatasets(root: splitDir, detail: "no dataset matches the selection") }
        return try names.map { try loadDataset(name: $0, evaluation: evaluation) }
    }

    func loadDataset(name: String, evaluation: String) throws -> EvalDataset {
        let path = (evaluation as NSString).appendingPathComponent("\(options.split)/\(name).json")
        let file = try DatasetFile.read(path: path)
        var samples = file.samples
        if options.maxSamples > 0 && options.maxSamples < samples.count { samples = Array(samples.prefix(options.maxSamples)) }
        let shotCount = options.zeroShotDatasets.contains(name) ? 0 : options.shots
        var shots: [EvalSample] = []
        if shotCount > 0 {
            let trainPath = (evaluation as NSString).appendingPathComponent("train/\(name).json")
            guard FileManager.default.fileExists(atPath: trainPath) else {
                throw EvaluationError.fileNotFound(path: trainPath, what: "train file (needed for \(shotCount) shots)")
            }
            let train = try DatasetFile.read(path: trainPath, requireSamples: false)
            guard train.samples.count >= shotCount else {
                throw EvaluationError.notEnoughShots(path: trainPath, requested: shotCount, available: train.samples.count)
            }
            shots = Array(train.samples.prefix(shotCount))
        }
        return EvalDataset(name: name, instruction: file.instruction, outputLength: file.outputLength, metrics: file.metrics,
                           samples: samples, shots: shots, contentHash: file.sha256, path: path)
    }
}
