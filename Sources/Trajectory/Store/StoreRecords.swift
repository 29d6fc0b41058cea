import Evaluation
import Foundation

/// What kind of model variant a `models` row describes.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    case raw, average, ensemble
}

/// The evaluation settings that change results (shots, split, max samples, BOS, strip, BLEU mode, template,
/// tokenizer ...). Stored once per run; their hash is part of the run's key, so results made under other settings
/// are never mistaken for these.
public struct StoreSettings: Sendable, Equatable, Codable {
    public var values: [String: String]
    public init(_ values: [String: String]) { self.values = values }

    /// Keys sorted, JSON-escaped: the same settings always give the same text and hash. This text is part of every
    /// stored run's key, so it stays Foundation's encoding (its key order and `\/`): another writer would orphan the
    /// runs of every existing store.
    public var canonicalJSON: String {
        let data = (try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
    public var hash: String { SHA256.hex(Data(canonicalJSON.utf8)) }
}

/// A run: one pretraining run (or one single model) evaluated under one set of settings.
public struct StoredRun: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var source: String
    public var settings: StoreSettings
    public var settingsHash: String
    public var createdAt: String
}

/// What a caller asks to register; `ResultStore.registerModel` returns the stored row.
public struct ModelSpec: Sendable, Equatable {
    public var kind: ModelKind
    public var step: Int
    /// Window size n (1 for a raw checkpoint).
    public var window: Int
    /// Window alignment, e.g. "trailing" or "centred" ("" for raw).
    public var align: String
    /// Weighting, e.g. "uniform" ("" for raw).
    public var weights: String
    /// Steps of the member checkpoints, oldest first (just `[step]` for raw).
    public var members: [Int]
    /// Checkpoint fingerprint for raw; for a variant, a hash over its members' fingerprints and parameters.
    public var fingerprint: String
    /// Checkpoint folder (raw, or an averaged checkpoint written to disk); "" when the model lives nowhere on disk.
    public var path: String
    /// Full SHA-256 of the model files when computed (`--verify`), else "".
    public var contentSHA256: String = ""

    public init(kind: ModelKind, step: Int, window: Int = 1, align: String = "", weights: String = "",
                members: [Int]? = nil, fingerprint: String, path: String = "") {
        self.kind = kind; self.step = step; self.window = window; self.align = align; self.weights = weights
        self.members = members ?? [step]; self.fingerprint = fingerprint; self.path = path
    }

    public static func raw(step: Int, fingerprint: String, path: String) -> ModelSpec {
        ModelSpec(kind: .raw, step: step, fingerprint: fingerprint, path: path)
    }
}

public struct StoredModel: Sendable, Equatable {
    public var id: Int
    public var runID: Int
    public var spec: ModelSpec
    /// True once a newer fingerprint for the same (kind, step, window, align, weights) replaced this row:
    /// its results stay in the store but listings skip it.
    public var stale: Bool
    public var kind: ModelKind { spec.kind }
    public var step: Int { spec.step }
}

public struct DatasetSpec: Sendable, Equatable {
    public var name: String
    public var contentHash: String
    public var category: String?
    public var metrics: [String]
    /// Inputs of the evaluated samples, by example index (kept once per dataset, for exports).
    public var inputs: [String]
    public init(name: String, contentHash: String, category: String?, metrics: [String], inputs: [String] = []) {
        self.name = name; self.contentHash = contentHash; self.category = category
        self.metrics = metrics; self.inputs = inputs
    }
}

public struct StoredDataset: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var contentHash: String
    public var category: String?
    public var metrics: [String]
    /// Number of examples the run means to evaluate (from `planDatasets`), nil outside a run's plan.
    public var plannedExamples: Int?
}

/// Metric maps are stored as JSON with sorted keys; NaN/inf (e.g. a correlation over constant predictions)
/// survive as strings.
enum MetricsJSON {
    static func encode(_ metrics: [String: Double]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(metrics)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String, path: String) throws -> [String: Double] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try decoder.decode([String: Double].self, from: Data(text.utf8)) } catch {
            throw TrajectoryError.store(path: path, reason: "metrics column holds invalid JSON: \(text.prefix(80))")
        }
    }

    static func encodeList<T: Encodable>(_ list: [T]) -> String {
        let data = (try? JSONEncoder().encode(list)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeList<T: Decodable>(_ text: String, as: T.Type, path: String) throws -> [T] {
        do { return try JSONDecoder().decode([T].self, from: Data(text.utf8)) } catch {
            throw TrajectoryError.store(path: path, reason: "list column holds invalid JSON: \(text.prefix(80))")
        }
    }
}
