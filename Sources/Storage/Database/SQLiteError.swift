internal import CSQLite
import Foundation

/// A failed SQLite call: the result codes, SQLite's own message and what Perch was doing.
///
/// C return codes become this error at the boundary (STYLE.md habit 8), so no
/// caller sees an `Int32`. The spool reports ``isDiskFull`` on the status topic;
/// ``isUnusableFile`` tells an operator the file itself is the problem.
public struct SQLiteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The primary result code (the low byte of ``extendedCode``).
    public let code: Code
    /// The extended result code, e.g. 1555 for `SQLITE_CONSTRAINT_PRIMARYKEY`.
    public let extendedCode: Int32
    /// The message from `sqlite3_errmsg` (or `sqlite3_errstr` when there is no connection).
    public let message: String
    /// What was being done: "open /var/lib/perch/perch.db", "step INSERT INTO …".
    public let operation: String
    /// The operating system's `errno` behind an I/O failure (`sqlite3_system_errno`),
    /// e.g. `ENOSPC` or `EFBIG`; `nil` when the failure was not the system's.
    public let systemErrno: Int32?

    /// Creates an error from an extended result code.
    public init(extendedCode: Int32, message: String, operation: String, systemErrno: Int32? = nil) {
        self.code = Code(rawValue: extendedCode & 0xFF)
        self.extendedCode = extendedCode
        self.message = message
        self.operation = operation
        self.systemErrno = systemErrno
    }

    /// An error from a failed call on `connection`, with the system `errno` when
    /// the failure came from the operating system.
    init(extendedCode: Int32, message: String, operation: String, connection: OpaquePointer?) {
        // sqlite3_system_errno keeps the last OS failure of the connection, however
        // old: it only belongs to this error when the code is an OS-level one.
        let isSystemFailure = [Code.ioError, .full, .cantOpen].contains(Code(rawValue: extendedCode & 0xFF))
        let systemErrno = isSystemFailure ? connection.map { sqlite3_system_errno($0) }.flatMap { $0 == 0 ? nil : $0 } : nil
        self.init(extendedCode: extendedCode, message: message, operation: operation, systemErrno: systemErrno)
    }

    /// The disk (or `PRAGMA max_page_count`) is full: the spool reports this on the status topic.
    public var isDiskFull: Bool { code == .full }

    /// The file cannot be used at all: not openable, read-only, damaged, or not a database.
    public var isUnusableFile: Bool {
        [.cantOpen, .readOnly, .corrupt, .notADatabase].contains(code)
    }

    /// "SQLITE_FULL (13): database or disk is full, during step INSERT …"; an
    /// OS failure adds its errno ("…, errno 27: File too large").
    public var description: String {
        let system = systemErrno.map { ", errno \($0): \(String(cString: strerror($0)))" } ?? ""
        return "\(code) (\(extendedCode)): \(message)\(system), during \(operation)"
    }
}

extension SQLiteError {
    /// A primary SQLite result code (https://sqlite.org/rescode.html).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The numeric code, 0…255.
        public let rawValue: Int32

        /// Wraps a primary result code.
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// `SQLITE_ERROR`: a generic error, e.g. an SQL syntax error.
        public static let error = Code(rawValue: SQLITE_ERROR)
        /// `SQLITE_BUSY`: another connection held the lock past the busy timeout.
        public static let busy = Code(rawValue: SQLITE_BUSY)
        /// `SQLITE_READONLY`: a write to a file opened or mounted read-only.
        public static let readOnly = Code(rawValue: SQLITE_READONLY)
        /// `SQLITE_IOERR`: the operating system reported an I/O error.
        public static let ioError = Code(rawValue: SQLITE_IOERR)
        /// `SQLITE_CORRUPT`: the file is damaged.
        public static let corrupt = Code(rawValue: SQLITE_CORRUPT)
        /// `SQLITE_FULL`: the disk, or the page limit, is full.
        public static let full = Code(rawValue: SQLITE_FULL)
        /// `SQLITE_CANTOPEN`: the file cannot be opened or created.
        public static let cantOpen = Code(rawValue: SQLITE_CANTOPEN)
        /// `SQLITE_TOOBIG`: a string or blob over SQLite's limit.
        public static let tooBig = Code(rawValue: SQLITE_TOOBIG)
        /// `SQLITE_CONSTRAINT`: a constraint was violated.
        public static let constraint = Code(rawValue: SQLITE_CONSTRAINT)
        /// `SQLITE_MISUSE`: the API was used wrongly (a bug in Perch).
        public static let misuse = Code(rawValue: SQLITE_MISUSE)
        /// `SQLITE_RANGE`: a parameter index out of range.
        public static let range = Code(rawValue: SQLITE_RANGE)
        /// `SQLITE_NOTADB`: the file is not an SQLite database.
        public static let notADatabase = Code(rawValue: SQLITE_NOTADB)

        /// The C name, e.g. "SQLITE_FULL"; SQLite's own text for the rarer codes.
        public var description: String {
            switch self {
            case .error: "SQLITE_ERROR"
            case .busy: "SQLITE_BUSY"
            case .readOnly: "SQLITE_READONLY"
            case .ioError: "SQLITE_IOERR"
            case .corrupt: "SQLITE_CORRUPT"
            case .full: "SQLITE_FULL"
            case .cantOpen: "SQLITE_CANTOPEN"
            case .tooBig: "SQLITE_TOOBIG"
            case .constraint: "SQLITE_CONSTRAINT"
            case .misuse: "SQLITE_MISUSE"
            case .range: "SQLITE_RANGE"
            case .notADatabase: "SQLITE_NOTADB"
            default: "SQLite code \(rawValue) (\(String(cString: sqlite3_errstr(rawValue))))"
            }
        }
    }
}
