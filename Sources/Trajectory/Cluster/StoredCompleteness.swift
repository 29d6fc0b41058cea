import Foundation

extension ResultStore {
    /// The steps whose model of `kind` and `window` holds every planned example and its scores, in the run named
    /// `runName` with these settings: what a resubmission skips. A missing store holds nothing.
    public static func completeSteps(db: String, runName: String, settingsHash: String, kind: ModelKind,
                                     window: Int = 1) throws -> Set<Int> {
        guard FileManager.default.fileExists(atPath: db) else { return [] }
        let store = try ResultStore(path: db, readOnly: true)
        guard let run = try store.runs().first(where: { $0.name == runName && $0.settingsHash == settingsHash }) else {
            return []
        }
        let status = try RunStatus(store: store, run: run)
        return Set(status.models.filter { $0.complete && $0.model.kind == kind && $0.model.spec.window == window }
            .map(\.model.step))
    }
}
