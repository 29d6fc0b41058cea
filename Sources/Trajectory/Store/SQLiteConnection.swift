import CSQLite
import Foundation

/// SQLite's "copy the bytes now" destructor marker, which the C macro SQLITE_TRANSIENT expresses as (void*)-1.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A value bound to or read from a statement column.
enum SQLValue: Sendable, Equatable {
    case null, int(Int64), double(Double), text(String)
}

/// One SQLite connection. Not thread-safe by itself: `ResultStore` serialises access with a lock.
final class SQLiteConnection {
    let path: String
    private(set) var handle: OpaquePointer?

    init(path: String, readOnly: Bool) throws {
        self.path = path
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        if rc != SQLITE_OK {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw TrajectoryError.store(path: path, reason: "cannot open the store (\(message))")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { sqlite3_close_v2(handle) }

    func error(_ context: String, _ rc: Int32) -> TrajectoryError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        let primary = rc & 0xff
        var hint = ""
        if primary == SQLITE_READONLY { hint = "; the store or its folder is read-only" }
        if primary == SQLITE_FULL { hint = "; the disk is full" }
        if primary == SQLITE_BUSY { hint = "; another process held the store locked for too long" }
        if primary == SQLITE_NOTADB { hint = "; this file is not a SQLite database" }
        return .store(path: path, reason: "\(context): \(message)\(hint)")
    }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            sqlite3_free(message)
            throw error(String(sql.prefix(60)), rc)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error("preparing \(sql.prefix(60))", rc) }
        return SQLiteStatement(connection: self, statement: statement)
    }

    /// Runs `sql` with `bindings` and returns every row.
    @discardableResult
    func query(_ sql: String, _ bindings: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(bindings)
        var rows: [[SQLValue]] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(handle)) }
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// BEGIN IMMEDIATE takes the write lock up front, so a concurrent writer waits in the busy handler instead of
    /// failing with SQLITE_BUSY when a read transaction tries to upgrade.
    func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }
}

/// A prepared statement; finalized on deinit.
final class SQLiteStatement {
    private let connection: SQLiteConnection
    private let statement: OpaquePointer

    init(connection: SQLiteConnection, statement: OpaquePointer) {
        self.connection = connection
        self.statement = statement
    }

    deinit { sqlite3_finalize(statement) }

    func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case let .int(v): rc = sqlite3_bind_int64(statement, index, v)
            case let .double(v): rc = sqlite3_bind_double(statement, index, v)
            case let .text(v):
                // Explicit byte length: generated text may hold U+0000, which a C-string length would cut off.
                var copy = v
                rc = copy.withUTF8 { bytes -> Int32 in
                    guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, transient) }
                    let chars = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                    return sqlite3_bind_text(statement, index, chars, Int32(bytes.count), transient)
                }
            }
            if rc != SQLITE_OK { throw connection.error("binding parameter \(index)", rc) }
        }
    }

    /// Advances one row; false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.error("running \(String(cString: sqlite3_sql(statement)).prefix(60))", rc)
    }

    /// Binds, runs to completion, resets: for INSERT/UPDATE statements reused inside a batch.
    func run(_ values: [SQLValue]) throws {
        try bind(values)
        while try step() {}
        sqlite3_reset(statement)
    }

    func row() -> [SQLValue] {
        (0..<sqlite3_column_count(statement)).map { column in
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: return .int(sqlite3_column_int64(statement, column))
            case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, column))
            case SQLITE_NULL: return .null
            default:
                guard let text = sqlite3_column_text(statement, column) else { return .text("") }
                let count = Int(sqlite3_column_bytes(statement, column))
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
            }
        }
    }
}

extension SQLValue {
    var int: Int? { if case let .int(v) = self { return Int(v) }; return nil }
    var double: Double? {
        switch self { case let .double(v): return v; case let .int(v): return Double(v); default: return nil }
    }
    var text: String? { if case let .text(v) = self { return v }; return nil }
    init(_ v: Int) { self = .int(Int64(v)) }
    init(_ v: Int?) { self = v.map { .int(Int64($0)) } ?? .null }
    init(_ v: String) { self = .text(v) }
    init(_ v: String?) { self = v.map { .text($0) } ?? .null }
    init(_ v: Double?) { self = v.map { .double($0) } ?? .null }
}
