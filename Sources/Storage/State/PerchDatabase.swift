import Foundation

/// Perch's one SQLite file, `{gateway.state_dir}/perch.db`, and its schema.
///
/// Every part that keeps state (the MQTT-SN client store, the spool)
/// opens its own connection here and appends its tables to ``migrations``: one
/// list, because one file has one `user_version`.
public enum PerchDatabase {
    /// The file's name inside the state directory.
    public static let fileName = "perch.db"

    /// The schema, oldest step first. Append only.
    public static let migrations: [SQLiteMigration] = [
        SQLiteMigration(
            "MQTT-SN client records",
            sql: """
                CREATE TABLE mqttsn_clients (
                    client_id TEXT PRIMARY KEY NOT NULL,
                    record BLOB NOT NULL,
                    updated_at INTEGER NOT NULL
                ) STRICT
                """),
        SpoolTables.migration,
        SpoolTables.deadLettersMigration,
    ]

    /// The path of the file in `stateDirectory`.
    public static func path(inStateDirectory stateDirectory: String) -> String {
        URL(fileURLWithPath: stateDirectory, isDirectory: true).appendingPathComponent(fileName).path
    }

    /// Opens (creating if needed) the state directory (0700) and the file (0600)
    /// in it, and brings the schema up to date.
    public static func open(
        stateDirectory: String, options: SQLiteDatabase.Options = SQLiteDatabase.Options()
    ) throws -> SQLiteDatabase {
        try createStateDirectory(stateDirectory)
        let database = try SQLiteDatabase(path: path(inStateDirectory: stateDirectory), options: options)
        try database.migrate(migrations)
        return database
    }

    /// Creates `path` and any missing parents with mode 0700; an existing
    /// directory is left as it is (systemd's `StateDirectory=` sets its mode).
    public static func createStateDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StorageError(code: .stateDirectory, message: "state directory \(path) exists and is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StorageError(code: .stateDirectory, message: "cannot create state directory \(path): \(error)")
        }
    }
}
