import Foundation
import Logging
import PerchCore
import Synchronization

/// The MQTT-SN gateway's client records in `perch.db` (SPEC §3: registrations
/// and subscriptions survive a restart of perchd).
///
/// One row per client id; the record is an opaque JSON blob, so the record type
/// can gain fields without a migration: unknown keys are ignored and missing
/// optional ones read as `nil`. A row that no longer decodes is skipped with a
/// warning; the client then starts afresh.
///
/// Calls block on the disk. The shell makes them from a thread pool one at a
/// time; a lock around the connection keeps any other use safe too (it is not
/// on the per-message path).
public final class SQLiteMQTTSNClientStore: MQTTSNClientStoring {
    private let database: Mutex<SQLiteDatabase>
    private let logger: Logger

    /// Opens `{stateDirectory}/perch.db`, creating the directory and file if needed.
    public convenience init(stateDirectory: String, logger: Logger) throws {
        try self.init(database: PerchDatabase.open(stateDirectory: stateDirectory), logger: logger)
    }

    /// Uses `database`, bringing its schema up to date (``PerchDatabase/migrations``).
    public init(database: sending SQLiteDatabase, logger: Logger) throws {
        try database.migrate(PerchDatabase.migrations)
        self.database = Mutex(database)
        self.logger = logger
    }

    /// Every record that decodes as `MQTTSNClientRecord<Peer>`; the others are logged and skipped.
    public func loadClients<Peer: Codable & Hashable & Sendable>(as peer: Peer.Type) throws -> [MQTTSNClientRecord<Peer>] {
        let rows = try database.withLock { database in
            try database.withStatement("SELECT client_id, record FROM mqttsn_clients ORDER BY client_id") { statement in
                var rows: [(clientID: String, record: [UInt8])] = []
                try statement.forEachRow { row in rows.append((row.text(at: 0), row.blob(at: 1))) }
                return rows
            }
        }
        let decoder = JSONDecoder()
        return rows.compactMap { row in
            do {
                return try decoder.decode(MQTTSNClientRecord<Peer>.self, from: Data(row.record))
            } catch {
                logger.warning(
                    "skipping a stored MQTT-SN client record that no longer reads; the client starts afresh",
                    metadata: ["client_id": "\(row.clientID)", "error": "\(error)"])
                return nil
            }
        }
    }

    /// Replaces the rows of `records` and deletes those of `forgotten`, in one transaction.
    ///
    /// Deletions run first: a client id in both lists is stored.
    public func apply<Peer: Codable & Hashable & Sendable>(
        storing records: [MQTTSNClientRecord<Peer>], forgetting forgotten: [String]
    ) throws {
        guard !records.isEmpty || !forgotten.isEmpty else { return }
        // Encoded before taking the lock: a record that cannot be encoded changes nothing.
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let rows = try records.map { record in (record.clientID, [UInt8](try encoder.encode(record))) }
        let now = Int64(Date().timeIntervalSince1970)

        try database.withLock { database in
            try database.transaction {
                for clientID in forgotten {
                    try database.withStatement("DELETE FROM mqttsn_clients WHERE client_id = ?") { statement in
                        try statement.bind(clientID, at: 1)
                        try statement.run()
                    }
                }
                for (clientID, record) in rows {
                    try database.withStatement(
                        """
                        INSERT INTO mqttsn_clients (client_id, record, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (client_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at
                        """
                    ) { statement in
                        try statement.bind(clientID, at: 1)
                        try statement.bind(record, at: 2)
                        try statement.bind(now, at: 3)
                        try statement.run()
                    }
                }
            }
        }
    }
}
