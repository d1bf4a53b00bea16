import Foundation
import PerchCore

extension SpoolStoreError {
    /// `error` in the terms the spool acts on, with what was being done.
    ///
    /// - `SQLITE_FULL` (SQLite's own answer to `ENOSPC` and to a short write, and
    ///   `PRAGMA max_page_count`), and an `SQLITE_IOERR` whose system errno is
    ///   `ENOSPC` or `EFBIG` (a write past `RLIMIT_FSIZE` with SIGXFSZ ignored):
    ///   ``Kind/diskFull``.
    /// - `SQLITE_CORRUPT`, `SQLITE_NOTADB`: ``Kind/corrupt``.
    /// - Anything else: ``Kind/failed``.
    init(_ error: any Error, during action: String) {
        guard let sqlite = error as? SQLiteError else {
            self.init(kind: .failed, message: "\(action) failed: \(error)")
            return
        }
        let kind: Kind
        switch sqlite.code {
        case .full:
            kind = .diskFull
        case .ioError where sqlite.systemErrno == ENOSPC || sqlite.systemErrno == EFBIG:
            kind = .diskFull
        case .ioError where sqlite.systemErrno == nil && Self.fileSizeLimit != nil:
            // A write past RLIMIT_FSIZE fails with EFBIG, but SQLite reports the
            // errno only for some calls (a failed COMMIT clears it while rolling
            // back); with a limit set, it is by far the likeliest cause.
            let limit = Self.fileSizeLimit ?? 0
            self.init(
                kind: .diskFull,
                message: "\(action) failed: \(sqlite) (a file-size limit, RLIMIT_FSIZE, of \(limit) bytes is set: the disk is full for perchd)")
            return
        case .corrupt, .notADatabase:
            kind = .corrupt
        default:
            kind = .failed
        }
        self.init(kind: kind, message: "\(action) failed: \(sqlite)")
    }

    /// The process's RLIMIT_FSIZE in bytes, if one is set.
    static var fileSizeLimit: UInt64? {
        var limit = rlimit()
        #if canImport(Glibc)
        guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0 else { return nil }
        #else
        guard getrlimit(RLIMIT_FSIZE, &limit) == 0 else { return nil }
        #endif
        // RLIM_INFINITY is all ones (the C macro does not import as a constant).
        return limit.rlim_cur == ~0 ? nil : UInt64(limit.rlim_cur)
    }
}
