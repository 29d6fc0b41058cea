import Evaluation
import Foundation

extension ResultStore {
    /// The run an evaluation resumes into (`openRun`), knowing what the COMET model in its settings means. A
    /// same-named run with equal settings but no COMET model and no COMET score yet becomes this run: its records get
    /// their segment scores from this model. A same-named run scored by another COMET model (or by one when this
    /// evaluation has none) stays apart, and `notice` says once that the results go to a new run.
    func openEvaluationRun(name: String, source: String, settings: StoreSettings,
                           notice: (String) -> Void) throws -> StoredRun {
        let named = try runs().filter { $0.name == name }
        guard !named.contains(where: { $0.settingsHash == settings.hash }) else {
            return try openRun(name: name, source: source, settings: settings)
        }
        func withoutComet(_ s: StoreSettings) -> [String: String] {
            var values = s.values; values[RunKeys.cometModel] = nil; return values
        }
        let siblings = named.filter { withoutComet($0.settings) == withoutComet(settings) }
        if settings.values[RunKeys.cometModel] != nil,
           let plain = siblings.last(where: { $0.settings.values[RunKeys.cometModel] == nil }),
           try !holdsScores(run: plain.id, metric: MetricName.cometWmt22.rawValue) {
            try replaceSettings(run: plain.id, with: settings)
            return try openRun(name: name, source: source, settings: settings)
        }
        if let other = siblings.last {
            // A run without the key here holds COMET scores from before models were recorded.
            func model(_ s: StoreSettings, none: String) -> String {
                s.values[RunKeys.cometModel].map { "COMET model \($0.prefix(12))" } ?? none
            }
            notice("run '\(name)' (#\(other.id)) was scored with \(model(other.settings, none: "an unrecorded COMET model"));"
                   + " this evaluation uses \(model(settings, none: "no COMET model")), a different setting:"
                   + " its results go to a new run")
        }
        return try openRun(name: name, source: source, settings: settings)
    }

    /// Whether any dataset score of the run's models holds `metric`.
    func holdsScores(run: Int, metric: String) throws -> Bool {
        try locked {
            try connection.query("SELECT count(*) FROM scores JOIN models ON models.id = scores.model_id"
                                 + " WHERE models.run_id = ? AND scores.metrics LIKE ?",
                                 [SQLValue(run), SQLValue("%\"\(metric)\"%")]).first?.first?.int ?? 0 > 0
        }
    }
}
