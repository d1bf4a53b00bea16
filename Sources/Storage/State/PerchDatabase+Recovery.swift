import Foundation

extension PerchDatabase {
    /// A damaged `perch.db` that ``prepare(stateDirectory:now:)`` moved aside.
    public struct Recovery: Sendable, Equatable, CustomStringConvertible {
        /// Where the damaged file is now: `{state_dir}/perch.db.corrupt-<UTC timestamp>`;
        /// its `-wal` and `-shm`, if there were any, sit next to it under the same name.
        public var movedAsidePath: String
        /// Why it was judged damaged: SQLite's error, or what `quick_check` found.
        public var reason: String

        /// Creates a recovery record.
        public init(movedAsidePath: String, reason: String) {
            self.movedAsidePath = movedAsidePath
            self.reason = reason
        }

        /// One line for the log.
        public var description: String {
            "damaged state file moved aside to \(movedAsidePath) (\(reason)); starting with a fresh one"
        }
    }

    /// Makes `{stateDirectory}/perch.db` safe to open: run ONCE by the daemon,
    /// before any store opens the file.
    ///
    /// Opens the file, runs `PRAGMA quick_check` and brings the schema up to
    /// date. A damaged file (SQLITE_CORRUPT or SQLITE_NOTADB while opening,
    /// checking or migrating; a failed check) is closed and renamed, with its
    /// `-wal` and `-shm`, to `perch.db.corrupt-<UTC timestamp>` in the same
    /// directory, and a fresh file is created in its place (SPEC §5, issue 4:
    /// moved aside, reported, never a crash loop). Returns what was moved, or
    /// `nil` when the file was sound (or new).
    ///
    /// Throws only when the state directory cannot be used at all (not a
    /// directory, not writable, the file cannot be created or renamed), when the
    /// disk fails to read it (SQLITE_IOERR: moving the file would not help, and
    /// its messages would no longer drain), or when the file was written by a
    /// newer perchd (``StorageError/Code/newerSchema``: not damage, so it is left
    /// for the operator rather than moved).
    public static func prepare(stateDirectory: String, now: Date = Date()) throws -> Recovery? {
        try createStateDirectory(stateDirectory)
        let file = PerchDatabase.path(inStateDirectory: stateDirectory)
        guard let reason = try damage(of: file) else { return nil }

        let movedAside = try moveAside(file, now: now)
        // The fresh file is created and migrated now, so a problem with it shows here.
        try PerchDatabase.open(stateDirectory: stateDirectory).close()
        return Recovery(movedAsidePath: movedAside, reason: reason)
    }

    /// What is wrong with the file at `file`, or `nil` when it is sound; the
    /// connection is closed before this returns.
    private static func damage(of file: String) throws -> String? {
        do {
            // The WAL is kept at close: SQLite would delete one it cannot read,
            // and it belongs with the damaged file for whoever looks into it.
            let database = try SQLiteDatabase(path: file, options: SQLiteDatabase.Options(keepsWALOnClose: true))
            defer { database.close() }
            let problems = try database.quickCheck()
            if !problems.isEmpty {
                return "quick_check: " + problems.prefix(3).joined(separator: "; ")
            }
            try database.migrate(migrations)
            return nil
        } catch let error as SQLiteError where error.code == .corrupt || error.code == .notADatabase {
            return error.description
        }
    }

    /// Renames `file` and its `-wal` and `-shm` to `file.corrupt-<timestamp>[-n]`
    /// and returns the new name of `file`.
    ///
    /// The `-wal` goes first: a WAL left behind next to a fresh `perch.db` would
    /// be replayed into it. If perchd dies between the renames, the damaged
    /// main file is still in place and is found again at the next start.
    private static func moveAside(_ file: String, now: Date) throws -> String {
        let base = "\(file).corrupt-\(timestamp(now))"
        var target = base
        var attempt = 1
        // Two recoveries within a second (a crash loop elsewhere) must not overwrite the first.
        while [target, target + "-wal", target + "-shm"].contains(where: { FileManager.default.fileExists(atPath: $0) }) {
            target = "\(base)-\(attempt)"
            attempt += 1
        }
        for suffix in ["-wal", "-shm", ""] where FileManager.default.fileExists(atPath: file + suffix) {
            guard rename(file + suffix, target + suffix) == 0 else {
                let reason = String(cString: strerror(errno))
                throw StorageError(
                    code: .stateDirectory,
                    message: "cannot move the damaged state file \(file + suffix) aside to \(target + suffix): \(reason)")
            }
        }
        return target
    }

    /// `20261122T004600Z`: ISO 8601 basic format in UTC (no colons, which some
    /// tools take for a host or drive separator).
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let text = String(value ?? 0)
            return text.count < 2 ? "0" + text : text
        }
        return "\(parts.year ?? 0)\(two(parts.month))\(two(parts.day))T\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z"
    }
}
