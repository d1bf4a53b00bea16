/// One step of a database's schema history; the list of steps is the schema.
///
/// Step *n* (from 1) takes the file from `PRAGMA user_version` *n − 1* to *n*.
/// Steps are only ever appended: a released step never changes, since files
/// out in the field have already run it.
public struct SQLiteMigration: Sendable {
    /// What the step does, for the log.
    public let name: String
    /// The step: runs inside its own transaction.
    public let apply: @Sendable (SQLiteDatabase) throws -> Void

    /// A step that runs `apply`.
    public init(_ name: String, apply: @escaping @Sendable (SQLiteDatabase) throws -> Void) {
        self.name = name
        self.apply = apply
    }

    /// A step that runs `sql` (one or more `;`-separated statements).
    public init(_ name: String, sql: String) {
        self.init(name) { database in try database.execute(sql) }
    }
}

extension SQLiteDatabase {
    /// The schema version recorded in the file (`PRAGMA user_version`; 0 for a new file).
    public var schemaVersion: Int {
        get throws { Int(try scalarInt64("PRAGMA user_version")) }
    }

    /// Brings the file up to `migrations.count`, one transaction per step, and
    /// returns the names of the steps applied (none when already up to date).
    ///
    /// A file whose version is past the list was written by a newer perchd: it
    /// is refused with ``StorageError/Code/newerSchema``, rather than read or
    /// written by code that does not know its tables.
    @discardableResult
    public func migrate(_ migrations: [SQLiteMigration]) throws -> [String] {
        var applied: [String] = []
        while true {
            // Version read inside the transaction: another connection to the same
            // file (the spool's) may be migrating at the same moment.
            let done = try transaction { () throws -> Bool in
                let version = try schemaVersion
                if version > migrations.count {
                    throw StorageError(
                        code: .newerSchema,
                        message: "\(path) has schema version \(version), but this perchd knows versions up to "
                            + "\(migrations.count): it was written by a newer perchd; upgrade perchd, or move the file away")
                }
                guard version < migrations.count else { return true }
                let step = migrations[version]
                try step.apply(self)
                try execute("PRAGMA user_version = \(version + 1)")
                applied.append(step.name)
                return false
            }
            if done { return applied }
        }
    }
}
