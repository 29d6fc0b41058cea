import Foundation

/// One line of progress after an optimiser step.
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var loss: Double
    public var lr: Float
    public var gradNorm: Float
    public var tokensSeen: Int
    public var tokensPerSecond: Double
    public var elapsedSeconds: Double
    public var etaSeconds: Double
    public var savedCheckpoint: String?
}

/// Pretrains a `TrainingModel` on a packed corpus with AdamW, writing checkpoints on the recipe's schedule.
public final class Trainer {
    public let recipe: TrainingRecipe
    public let model: TrainingModel
    public let optimizer: AdamW
    public let schedule: LearningRateSchedule
    public private(set) var batches: BatchStream
    public let writer: CheckpointWriter?
    public private(set) var step = 0

    public init(recipe: TrainingRecipe, config: TrainingModelConfig, corpus: TrainingCorpus,
                writer: CheckpointWriter?, workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws {
        self.recipe = recipe
        let t = recipe.training
        model = TrainingModel(config: config, batch: t.batchSize, seqLen: recipe.data.seqLen, workers: workers)
        model.initialize(seed: t.seed)
        optimizer = AdamW(layout: model.layout, beta1: t.beta1, beta2: t.beta2, eps: t.adamEps,
                          weightDecay: t.weightDecay)
        schedule = LearningRateSchedule(peak: t.lr, minimum: t.minLR, warmupSteps: t.warmupSteps,
                                        totalSteps: t.steps, shape: t.schedule)
        batches = try BatchStream(corpus: corpus, seqLen: recipe.data.seqLen, batch: t.batchSize,
                                  dataSeed: t.dataSeed)
        self.writer = writer
    }

    /// One optimiser step on the next batch; returns (loss, lr, gradient norm before clipping).
    public func trainStep() throws -> (loss: Double, lr: Float, gradNorm: Float) {
        step += 1
        let (inputs, targets) = batches.next()
        model.zeroGradients()
        guard let loss = try model.forward(tokens: inputs, targets: targets), loss.isFinite else {
            throw TinyWorldError.diverged(step: step, loss: .nan)
        }
        model.backward()
        let norm = clipGradients(model.grads, maxNorm: recipe.training.gradClip)
        guard norm.isFinite else { throw TinyWorldError.diverged(step: step, loss: Float(loss)) }
        let lr = schedule.rate(atStep: step)
        optimizer.step(params: model.params, grads: model.grads, lr: lr)
        return (loss, lr, norm)
    }

    /// Runs to `recipe.training.steps`, writing checkpoints and `train_log.jsonl` (when there is a writer) and
    /// reporting every step. Returns the state recorded at each checkpoint.
    @discardableResult
    public func run(onStep: (TrainingProgress) -> Void = { _ in }) throws -> [TrainerState] {
        let total = recipe.training.steps
        let start = Date()
        var log: FileHandle?
        if let writer {
            let path = URL(fileURLWithPath: writer.outputDirectory).appendingPathComponent("train_log.jsonl").path
            do {
                try FileManager.default.createDirectory(atPath: writer.outputDirectory, withIntermediateDirectories: true)
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                log = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            } catch {
                throw TinyWorldError.writeFailed(path: path, reason: error.localizedDescription)
            }
        }
        defer { try? log?.close() }
        var saved: [TrainerState] = []
        while step < total {
            let (loss, lr, norm) = try trainStep()
            let elapsed = Date().timeIntervalSince(start)
            let tokens = batches.tokensSeen
            let state = TrainerState(step: step, loss: loss, lr: Double(lr), tokensSeen: tokens,
                                     gradNorm: Double(norm), seed: recipe.training.seed,
                                     dataSeed: recipe.training.dataSeed)
            var savedPath: String?
            if let writer, recipe.checkpoints.saves(step: step, total: total) {
                savedPath = try writer.write(model: model, state: state)
                saved.append(state)
            }
            if let log {
                let line = String(format: "{\"step\":%d,\"loss\":%.6f,\"lr\":%.6g,\"grad_norm\":%.4f,\"tokens_seen\":%d,\"elapsed\":%.3f}\n",
                                  step, loss, Double(lr), Double(norm), tokens, elapsed)
                log.write(Data(line.utf8))
            }
            let rate = Double(tokens) / max(elapsed, 1e-9)
            let eta = Double(total - step) * elapsed / Double(step)
            onStep(TrainingProgress(step: step, totalSteps: total, loss: loss, lr: lr, gradNorm: norm,
                                    tokensSeen: tokens, tokensPerSecond: rate, elapsedSeconds: elapsed,
                                    etaSeconds: eta, savedCheckpoint: savedPath))
        }
        return saved
    }
}
