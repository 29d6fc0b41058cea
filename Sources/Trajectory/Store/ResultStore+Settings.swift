extension ResultStore {
    /// Replaces a run's stored settings, and with them its key (name + settings hash). `rescore` does this after
    /// recomputing every score under another BLEU mode, so that a later `eval` with the new settings resumes into the
    /// run and shards evaluated under them merge into it, while shards of the old settings are refused.
    public func replaceSettings(run: Int, with settings: StoreSettings) throws {
        try transaction {
            try connection.query("UPDATE runs SET settings = ?, settings_hash = ? WHERE id = ?",
                                 [SQLValue(settings.canonicalJSON), SQLValue(settings.hash), SQLValue(run)])
        }
    }
}
