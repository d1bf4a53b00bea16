internal import CSQLite
import Foundation

/// One connection to an SQLite file, in WAL mode, with prepared statements cached by SQL text.
///
/// Not `Sendable`, on purpose: a connection has one owner at a time, which uses
/// it from one thread or executor at a time (the client store keeps it behind a
/// lock; the spool on its own thread). Swift's region checks enforce this, so the
/// connection is opened with `SQLITE_OPEN_NOMUTEX`: SQLite's own mutex would only
/// add a second lock around every call for a guarantee the compiler already gives.
///
/// ```swift
/// let database = try SQLiteDatabase(path: "/var/lib/perch/perch.db")
/// try database.transaction {
///     try database.withStatement("INSERT INTO t(name) VALUES (?)") { statement in
///         try statement.bind("kitchen", at: 1)
///         try statement.run()
///     }
/// }
/// ```
public final class SQLiteDatabase {
    /// The file's path.
    public let path: String

    /// The connection; `nil` once closed.
    private var connection: OpaquePointer?
    /// Prepared statements by SQL text, finalized on close.
    private var statements: [String: OpaquePointer] = [:]
    /// Nesting depth of ``transaction(_:)``, for savepoint names.
    var transactionDepth = 0

    /// Opens (and by default creates, mode 0600) the database at `path`, and sets
    /// WAL journaling, `synchronous`, the busy timeout and foreign keys.
    ///
    /// A file that is not a database, or is damaged, fails here with
    /// `SQLITE_NOTADB` / `SQLITE_CORRUPT`, not at the first query.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        if options.createIfMissing && !options.isReadOnly {
            try createPrivately(path)
        }
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= options.isReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if options.createIfMissing && !options.isReadOnly { flags |= SQLITE_OPEN_CREATE }

        var handle: OpaquePointer?
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            let error = SQLiteError(extendedCode: result, message: message, operation: "open \(path)", connection: handle)
            // A handle is returned even on failure and must still be closed.
            sqlite3_close_v2(handle)
            throw error
        }
        connection = handle
        do {
            try configure(handle, options: options)
        } catch {
            // Not left to deinit: the connection must not outlive a failed init.
            closeConnection()
            throw error
        }
    }

    private func configure(_ handle: OpaquePointer, options: Options) throws {
        sqlite3_extended_result_codes(handle, 1)
        if options.keepsWALOnClose {
            // Before the first statement: a file that fails to open is closed at once.
            var keep: Int32 = 1
            let result = sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &keep)
            guard result == SQLITE_OK else {
                throw SQLiteError(
                    extendedCode: result, message: String(cString: sqlite3_errstr(result)),
                    operation: "SQLITE_FCNTL_PERSIST_WAL on \(path)", connection: handle)
            }
        }

        let milliseconds = options.busyTimeout.components.seconds * 1000
            + options.busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
        if !options.isReadOnly {
            // WAL: readers never block the writer, and a commit appends instead of
            // rewriting pages (fewer flash writes). Persistent in the file.
            let mode = try scalarText("PRAGMA journal_mode=WAL")
            guard mode.lowercased() == "wal" else {
                throw SQLiteError(
                    extendedCode: SQLITE_ERROR, message: "journal mode is \(mode), not wal",
                    operation: "PRAGMA journal_mode=WAL on \(path)")
            }
        } else {
            // Still touch the file now, so a damaged one fails here.
            _ = try scalarText("PRAGMA schema_version")
        }
        try execute("PRAGMA synchronous=\(options.synchronous.rawValue); PRAGMA foreign_keys=ON")
    }

    deinit {
        closeConnection()
    }

    /// Finalizes every cached statement and closes the connection; later calls fail with `SQLITE_MISUSE`.
    public func close() {
        closeConnection()
    }

    /// Runs one or more `;`-separated statements without parameters (schema, pragmas).
    public func execute(_ sql: String) throws(SQLiteError) {
        let handle = try liveConnection(for: sql)
        var errorText: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &errorText)
        let message = errorText.map { String(cString: $0) }
        sqlite3_free(errorText)
        guard result == SQLITE_OK else {
            throw SQLiteError(
                extendedCode: sqlite3_extended_errcode(handle),
                message: message ?? String(cString: sqlite3_errmsg(handle)), operation: "execute \(sql)",
                connection: handle)
        }
    }

    /// Runs `body` with the cached prepared statement for `sql`, reset and with no bindings.
    ///
    /// The statement is reset again afterwards, so it holds no lock between uses.
    /// Do not use the same SQL text again inside `body`: it is the same statement.
    public func withStatement<Result>(
        _ sql: String, _ body: (borrowing SQLiteStatement) throws -> Result
    ) throws -> Result {
        let statement = try prepared(sql)
        sqlite3_clear_bindings(statement)
        defer { sqlite3_reset(statement) }
        // A named local, not a temporary: Swift 6.3.1's optimizer crashes
        // ("Cannot initialize a nonCopyable type with a guaranteed value") when
        // it specializes a call that passes a temporary noncopyable value borrowed.
        let wrapped = SQLiteStatement(handle: statement, sql: sql)
        return try body(wrapped)
    }

    /// The number of rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int {
        connection.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool {
        connection.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    // MARK: - Internals

    /// The first column of the first row of `sql` as text.
    func scalarText(_ sql: String) throws -> String {
        try withStatement(sql) { statement in
            guard try statement.step() else { return "" }
            return statement.text(at: 0)
        }
    }

    /// The first column of the first row of `sql` as an integer.
    func scalarInt64(_ sql: String) throws -> Int64 {
        try withStatement(sql) { statement in
            guard try statement.step() else { return 0 }
            return statement.int64(at: 0)
        }
    }

    private func liveConnection(for sql: String) throws(SQLiteError) -> OpaquePointer {
        guard let connection else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "the database is closed", operation: sql)
        }
        return connection
    }

    private func prepared(_ sql: String) throws(SQLiteError) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        let handle = try liveConnection(for: sql)
        var statement: OpaquePointer?
        // Persistent: these statements are kept for the life of the connection.
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else {
            throw SQLiteError(
                extendedCode: sqlite3_extended_errcode(handle),
                message: result == SQLITE_OK ? "no statement in the SQL text" : String(cString: sqlite3_errmsg(handle)),
                operation: "prepare \(sql)", connection: handle)
        }
        statements[sql] = statement
        return statement
    }

    private func closeConnection() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        // close_v2 never fails with BUSY: it defers until the last statement is gone.
        if let connection { sqlite3_close_v2(connection) }
        connection = nil
    }
}

/// Creates the file with mode 0600 before SQLite does (SQLite would use 0644
/// less the umask); its -wal and -shm files then take the same mode.
private func createPrivately(_ path: String) throws(SQLiteError) {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    if descriptor >= 0 {
        close(descriptor)
    } else if errno != EEXIST {
        let reason = String(cString: strerror(errno))
        throw SQLiteError(
            extendedCode: SQLITE_CANTOPEN, message: "cannot create the file: \(reason)", operation: "open \(path)")
    }
}
