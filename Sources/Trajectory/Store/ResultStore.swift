import CSQLite
import Foundation

/// The SQLite result store of trajectory runs: runs and settings, models (raw checkpoints and averaged/ensembled
/// variants), datasets, per-example predictions, per-dataset scores and category/AVG aggregates.
///
/// WAL journal with a busy timeout, so several processes can write one store at once; every write method is one
/// transaction (or part of an enclosing `transaction { }`), so a killed process loses at most the batch in flight.
/// A store written by another schema version or another program is refused and left untouched.
public final class ResultStore: @unchecked Sendable {
    /// How the store journals its writes.
    public enum Journal: String, Sendable, CaseIterable {
        /// Write-ahead log: many processes on ONE host write at once (the default). WAL keeps its index in
        /// shared memory (`-shm`), which processes on different hosts cannot share: never use it across hosts.
        case wal
        /// Rollback journal (`DELETE`) with full syncs: one writer at a time, and only file locks, so it works on
        /// NFS and Lustre as far as their POSIX locks work. Shard stores of cluster tasks use it: each has one writer.
        case rollback
    }

    public let path: String
    public let readOnly: Bool
    public let journal: Journal
    let connection: SQLiteConnection
    private let busyTimeoutMilliseconds: Int32
    /// Recursive: `transaction { }` holds it while the body calls other methods.
    private let lock = NSRecursiveLock()
    private var transactionDepth = 0
    /// False only for a store opened read-only that was made before the log-prob columns (they read as NULL).
    private(set) var hasLogprobColumns = true

    public static var schemaVersion: Int { Int(StoreSchema.version) }

    /// Opens (or, unless `readOnly`, creates) the store at `path`.
    public init(path: String, readOnly: Bool = false, journal: Journal = .wal,
                busyTimeoutMilliseconds: Int32 = 120_000) throws {
        self.path = path
        self.readOnly = readOnly
        self.journal = journal
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        try ResultStore.checkAccess(path: path, readOnly: readOnly)
        connection = try SQLiteConnection(path: path, readOnly: readOnly)
        sqlite3_busy_timeout(connection.handle, busyTimeoutMilliseconds)
        try prepareSchema()
    }

    private static func checkAccess(path: String, readOnly: Bool) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw TrajectoryError.store(path: path, reason: "is a folder, not a store file") }
            if !readOnly && access(path, W_OK) != 0 {
                throw TrajectoryError.store(path: path, reason: "the store is read-only (no write permission)")
            }
        } else {
            if readOnly { throw TrajectoryError.store(path: path, reason: "no such store file") }
            let folder = (path as NSString).deletingLastPathComponent
            let dir = folder.isEmpty ? "." : folder
            if !files.fileExists(atPath: dir, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw TrajectoryError.store(path: path, reason: "cannot create the store: folder \(dir) does not exist")
            }
            if access(dir, W_OK) != 0 {
                throw TrajectoryError.store(path: path, reason: "cannot create the store: folder \(dir) is not writable")
            }
        }
    }

    /// Reads version markers before writing anything, so a foreign or newer file is never modified.
    private func prepareSchema() throws {
        let (applicationID, version, tables) = try readMarkersConsistently()
        if applicationID == 0 && version == 0 && tables == 0 {
            if readOnly { throw TrajectoryError.store(path: path, reason: "the store is empty (nothing evaluated yet)") }
            try connection.writeTransaction {
                // Re-check under the write lock: another process may have created the schema meanwhile.
                let again = try readMarkers()
                if again.applicationID == 0 && again.version == 0 && again.tables == 0 {
                    try connection.execute(StoreSchema.create)
                    try connection.execute("PRAGMA application_id = \(StoreSchema.applicationID)")
                    try connection.execute("PRAGMA user_version = \(StoreSchema.version)")
                }
            }
            return try finishOpening(afterCreate: true)
        }
        if applicationID != StoreSchema.applicationID {
            throw TrajectoryError.incompatibleStore(
                path: path, reason: "not a Kasane result store (SQLite application_id \(applicationID), \(tables) tables)")
        }
        if version != StoreSchema.version {
            throw TrajectoryError.incompatibleStore(
                path: path, reason: "store schema version \(version), but this kasane reads version \(StoreSchema.version)")
        }
        try finishOpening(afterCreate: false)
    }

    private func finishOpening(afterCreate: Bool) throws {
        _ = afterCreate
        try connection.execute("PRAGMA foreign_keys = ON")
        guard !readOnly else {
            hasLogprobColumns = try missingLogprobColumns().isEmpty
            return
        }
        if journal == .rollback {
            let mode = try connection.query("PRAGMA journal_mode = DELETE").first?.first?.text ?? ""
            if mode.lowercased() != "delete" {
                throw TrajectoryError.store(path: path, reason: "cannot switch the store to the rollback journal (got '\(mode)')")
            }
            try connection.execute("PRAGMA synchronous = FULL")
            return try addLogprobColumns()
        }
        let mode = try switchToWAL()
        if mode.lowercased() != "wal" {
            throw TrajectoryError.store(path: path, reason: "cannot switch the store to WAL journal mode (got '\(mode)')")
        }
        // NORMAL in WAL mode: a killed process never corrupts the store; only a power loss may drop the last commits.
        try connection.execute("PRAGMA synchronous = NORMAL")
        try addLogprobColumns()
    }

    /// The migration of stores made before the log-prob columns; re-checked under the write lock, since another
    /// process may be adding them at the same moment.
    private func addLogprobColumns() throws {
        guard !(try missingLogprobColumns()).isEmpty else { return }
        try connection.writeTransaction {
            for (name, type) in try missingLogprobColumns() {
                try connection.execute("ALTER TABLE predictions ADD COLUMN \(name) \(type)")
            }
        }
    }

    private func missingLogprobColumns() throws -> [(String, String)] {
        let present = Set(try connection.query("PRAGMA table_info(predictions)").compactMap { $0[1].text })
        return StoreSchema.logprobColumns.filter { !present.contains($0.0) }
    }

    /// The three markers from one read transaction: read one by one, another process creating the schema at the
    /// same moment could be seen half-way (application_id 0 but the tables already there).
    private func readMarkersConsistently() throws -> (applicationID: Int32, version: Int32, tables: Int) {
        try connection.execute("BEGIN")
        do {
            let markers = try readMarkers()
            try connection.execute("COMMIT")
            return markers
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// WAL is persistent, so usually it is already on. Switching needs every other connection's locks released and
    /// SQLite does not wait for that through the busy handler: retry for the busy timeout.
    private func switchToWAL() throws -> String {
        let current = try connection.query("PRAGMA journal_mode").first?.first?.text ?? ""
        if current.lowercased() == "wal" { return current }
        let deadline = Date().addingTimeInterval(Double(busyTimeoutMilliseconds) / 1000)
        while true {
            do {
                return try connection.query("PRAGMA journal_mode = WAL").first?.first?.text ?? ""
            } catch let error as TrajectoryError {
                guard "\(error)".contains("locked"), Date() < deadline else { throw error }
                usleep(5_000)
            }
        }
    }

    private func readMarkers() throws -> (applicationID: Int32, version: Int32, tables: Int) {
        let applicationID = try connection.query("PRAGMA application_id").first?.first?.int ?? 0
        let version = try connection.query("PRAGMA user_version").first?.first?.int ?? 0
        let tables = try connection.query("SELECT count(*) FROM sqlite_master").first?.first?.int ?? 0
        return (Int32(truncatingIfNeeded: applicationID), Int32(truncatingIfNeeded: version), tables)
    }

    // MARK: locking and transactions

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body` as one write transaction; store methods called inside join it instead of opening their own.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked {
            if transactionDepth > 0 { return try body() }
            guard !readOnly else { throw TrajectoryError.store(path: path, reason: "opened read-only") }
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try connection.writeTransaction(body)
        }
    }

    static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
