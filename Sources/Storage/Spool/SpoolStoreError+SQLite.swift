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
        case .corrupt, .notADatabase:
            kind = .corrupt
        default:
            kind = .failed
        }
        self.init(kind: kind, message: "\(action) failed: \(sqlite)")
    }
}
