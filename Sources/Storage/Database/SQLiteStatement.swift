internal import CSQLite
import NIOCore

/// A prepared statement, lent to the body of ``SQLiteDatabase/withStatement(_:_:)``.
///
/// Non-copyable and only ever borrowed, so it cannot outlive that call (the
/// connection owns and finalizes it). Parameters are numbered from 1 and result
/// columns from 0, as in SQLite's C API.
public struct SQLiteStatement: ~Copyable {
    /// The column types SQLite stores.
    public enum ColumnType: Sendable, Hashable {
        /// A 64-bit signed integer.
        case integer
        /// A double.
        case real
        /// UTF-8 text.
        case text
        /// Bytes.
        case blob
        /// NULL.
        case null
    }

    let handle: OpaquePointer
    /// The SQL text, for error messages.
    let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    // MARK: - Stepping

    /// Runs the statement to its next row: `true` when a row is ready to read, `false` when done.
    public func step() throws(SQLiteError) -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(result, during: "step")
        }
    }

    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL) to completion.
    public func run() throws(SQLiteError) {
        while try step() {}
    }

    /// Calls `body` for each row in turn, until the rows end.
    public func forEachRow(_ body: (borrowing SQLiteStatement) throws -> Void) throws {
        while try step() { try body(self) }
    }

    /// Resets the statement so it runs again from the start; bindings are kept.
    public func reset() {
        // The error of the last step is already reported by `step`; reset only repeats it.
        sqlite3_reset(handle)
    }

    // MARK: - Binding

    /// Binds an integer to parameter `index` (from 1).
    public func bind(_ value: Int64, at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, Int32(clamping: index), value), binding: index)
    }

    /// Binds an integer to parameter `index` (from 1).
    public func bind(_ value: Int, at index: Int) throws(SQLiteError) {
        try bind(Int64(value), at: index)
    }

    /// Binds a double to parameter `index` (from 1).
    public func bind(_ value: Double, at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_double(handle, Int32(clamping: index), value), binding: index)
    }

    /// Binds UTF-8 text to parameter `index` (from 1). Embedded NULs are kept.
    public func bind(_ value: String, at index: Int) throws(SQLiteError) {
        var text = value
        let result = text.withUTF8 { bytes -> Int32 in
            guard let count = Int32(exactly: bytes.count) else { return SQLITE_TOOBIG }
            // An empty buffer may have no address, and a NULL pointer would bind NULL, not "".
            guard let base = bytes.baseAddress, count > 0 else {
                return perch_sqlite3_bind_text_transient(handle, Int32(clamping: index), "", 0)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                perch_sqlite3_bind_text_transient(handle, Int32(clamping: index), $0, count)
            }
        }
        try check(result, binding: index)
    }

    /// Binds bytes to parameter `index` (from 1); SQLite copies them once, before returning.
    public func bind(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(SQLiteError) {
        let result: Int32
        if let base = bytes.baseAddress, !bytes.isEmpty {
            result = perch_sqlite3_bind_blob_transient(handle, Int32(clamping: index), base, sqlite3_uint64(bytes.count))
        } else {
            // A NULL pointer would bind NULL: an empty blob is a zero-length blob.
            result = sqlite3_bind_zeroblob(handle, Int32(clamping: index), 0)
        }
        try check(result, binding: index)
    }

    /// Binds bytes to parameter `index` (from 1).
    public func bind(_ bytes: [UInt8], at index: Int) throws(SQLiteError) {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(SQLiteError) in try bind(buffer, at: index) } }
        try result.get()
    }

    /// Binds the readable bytes of `buffer` to parameter `index` (from 1), without an intermediate copy.
    public func bind(_ buffer: ByteBuffer, at index: Int) throws(SQLiteError) {
        let result = buffer.withUnsafeReadableBytes { bytes in Result { () throws(SQLiteError) in try bind(bytes, at: index) } }
        try result.get()
    }

    /// Binds NULL to parameter `index` (from 1).
    public func bindNull(at index: Int) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, Int32(clamping: index)), binding: index)
    }

    // MARK: - Columns

    /// The number of columns in a result row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The type of the value in column `index` (from 0) of the current row.
    public func columnType(at index: Int) -> ColumnType {
        switch sqlite3_column_type(handle, Int32(clamping: index)) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .real
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    /// Whether column `index` (from 0) is NULL.
    public func isNull(at index: Int) -> Bool { columnType(at: index) == .null }

    /// Column `index` (from 0) as an integer (SQLite's conversions apply; NULL is 0).
    public func int64(at index: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(clamping: index))
    }

    /// Column `index` (from 0) as a double (SQLite's conversions apply; NULL is 0).
    public func double(at index: Int) -> Double {
        sqlite3_column_double(handle, Int32(clamping: index))
    }

    /// Column `index` (from 0) as text (NULL is ""); invalid UTF-8 is repaired.
    public func text(at index: Int) -> String {
        // The pointer first, then the length: the order SQLite documents.
        guard let bytes = sqlite3_column_text(handle, Int32(clamping: index)) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, Int32(clamping: index)))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Calls `body` with the bytes of column `index` (from 0), valid only during the call.
    public func withUnsafeBlob<Result>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let base = sqlite3_column_blob(handle, Int32(clamping: index))
        let count = Int(sqlite3_column_bytes(handle, Int32(clamping: index)))
        // An empty blob (and NULL) has no pointer.
        return try body(UnsafeRawBufferPointer(start: count > 0 ? base : nil, count: count > 0 ? count : 0))
    }

    /// Column `index` (from 0) as bytes (NULL is empty).
    public func blob(at index: Int) -> [UInt8] {
        withUnsafeBlob(at: index) { [UInt8]($0) }
    }

    /// Column `index` (from 0) as a `ByteBuffer`, copied once from SQLite's memory.
    public func byteBuffer(at index: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        withUnsafeBlob(at: index) { bytes in
            var buffer = allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            return buffer
        }
    }

    // MARK: - Errors

    private func check(_ result: Int32, binding index: Int) throws(SQLiteError) {
        guard result == SQLITE_OK else { throw error(result, during: "bind parameter \(index) of") }
    }

    private func error(_ result: Int32, during action: String) -> SQLiteError {
        let connection = sqlite3_db_handle(handle)
        // With extended result codes on, `result` is already the extended code.
        let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
        return SQLiteError(extendedCode: result, message: message, operation: "\(action) \(sql)", connection: connection)
    }
}
