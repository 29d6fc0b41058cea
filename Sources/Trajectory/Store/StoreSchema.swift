/// The store's tables. `PRAGMA user_version` holds `version`; `PRAGMA application_id` marks the file as a Kasane
/// store so that another program's SQLite file is refused rather than altered.
enum StoreSchema {
    static let version: Int32 = 1
    /// "KSNE" in ASCII.
    static let applicationID: Int32 = 0x4B53_4E45

    static let create = """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        settings_hash TEXT NOT NULL,
        settings TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (name, settings_hash)
    );
    CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        kind TEXT NOT NULL CHECK (kind IN ('raw', 'average', 'ensemble')),
        step INTEGER NOT NULL,
        window INTEGER NOT NULL DEFAULT 1,
        align TEXT NOT NULL DEFAULT '',
        weights TEXT NOT NULL DEFAULT '',
        members TEXT NOT NULL DEFAULT '[]',
        fingerprint TEXT NOT NULL,
        content_sha256 TEXT NOT NULL DEFAULT '',
        path TEXT NOT NULL DEFAULT '',
        stale INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (run_id, kind, step, window, align, weights, fingerprint)
    );
    CREATE INDEX models_by_run ON models (run_id, kind, step);
    CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        category TEXT,
        metrics TEXT NOT NULL,
        UNIQUE (name, content_hash)
    );
    CREATE TABLE examples (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        example INTEGER NOT NULL,
        input TEXT NOT NULL,
        PRIMARY KEY (dataset_id, example)
    ) WITHOUT ROWID;
    CREATE TABLE run_datasets (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        planned_examples INTEGER NOT NULL,
        PRIMARY KEY (run_id, dataset_id)
    ) WITHOUT ROWID;
    CREATE TABLE predictions (
        model_id INTEGER NOT NULL REFERENCES models(id),
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        example INTEGER NOT NULL,
        prompt_hash TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        generated TEXT NOT NULL,
        prediction TEXT NOT NULL,
        gold TEXT NOT NULL,
        metrics TEXT NOT NULL,
        gold_logprob REAL,
        gold_tokens INTEGER,
        prediction_logprob REAL,
        prediction_tokens INTEGER,
        PRIMARY KEY (model_id, dataset_id, example)
    ) WITHOUT ROWID;
    CREATE TABLE scores (
        model_id INTEGER NOT NULL REFERENCES models(id),
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        category TEXT,
        metrics TEXT NOT NULL,
        main_metric TEXT NOT NULL,
        main REAL,
        examples INTEGER NOT NULL,
        PRIMARY KEY (model_id, dataset_id)
    ) WITHOUT ROWID;
    CREATE TABLE aggregates (
        model_id INTEGER NOT NULL REFERENCES models(id),
        name TEXT NOT NULL,
        value REAL,
        PRIMARY KEY (model_id, name)
    ) WITHOUT ROWID;
    CREATE TABLE timings (
        model_id INTEGER NOT NULL REFERENCES models(id),
        dataset_id INTEGER NOT NULL REFERENCES datasets(id),
        seconds REAL NOT NULL,
        examples INTEGER NOT NULL,
        generated_tokens INTEGER NOT NULL,
        recorded_at TEXT NOT NULL
    );
    """

    /// Nullable per-example log-prob columns of `predictions`, added to stores made before them when such a store is
    /// opened for writing (`ALTER TABLE ... ADD COLUMN`: existing rows keep their values and read NULL here, and
    /// the schema version stays 1, so older kasane builds still read these stores).
    static let logprobColumns = [("gold_logprob", "REAL"), ("gold_tokens", "INTEGER"),
                                 ("prediction_logprob", "REAL"), ("prediction_tokens", "INTEGER")]

    /// Parameter drift between consecutive checkpoints of a run (`kasane drift`), by scope: `total`,
    /// `group:<name>`, `layer:<n>`. Created when first written, so stores of schema version 1 made before it
    /// stay readable by both versions; drift does not depend on eval settings, so rows are keyed by run name.
    static let drift = """
    CREATE TABLE IF NOT EXISTS drift (
        run_name TEXT NOT NULL,
        from_step INTEGER NOT NULL,
        to_step INTEGER NOT NULL,
        from_fingerprint TEXT NOT NULL,
        to_fingerprint TEXT NOT NULL,
        scope TEXT NOT NULL,
        l2 REAL NOT NULL,
        relative_l2 REAL,
        update_cosine REAL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (run_name, from_step, to_step, scope)
    ) WITHOUT ROWID;
    """
}

extension StoreSchema {
    /// Whole-model cost of each evaluation pass (load or averaging, all datasets) and the process's peak resident
    /// memory during it; for an ensemble entry, its vote. Created when first written, like `drift`.
    static let modelCosts = """
    CREATE TABLE IF NOT EXISTS model_costs (
        model_id INTEGER NOT NULL REFERENCES models(id),
        seconds REAL NOT NULL,
        peak_rss_bytes INTEGER,
        recorded_at TEXT NOT NULL
    );
    """

    /// What the engine counted during a pass (`MeasuredPasses`), added to `model_costs` tables made before them when
    /// next written (`ALTER TABLE ... ADD COLUMN`, like the log-prob columns: old rows read NULL, the schema version
    /// stays 1). NULL where nothing was measured: an ensemble's vote, a generator that does not count.
    static let measuredCostColumns = [("forward_passes", "INTEGER"), ("prefill_tokens", "INTEGER"),
                                      ("reused_prefix_tokens", "INTEGER"), ("decode_tokens", "INTEGER"),
                                      ("scored_tokens", "INTEGER")]
}
